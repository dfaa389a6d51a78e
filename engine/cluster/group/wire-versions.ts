/**
 * Kafka's per-version rules for the classic group APIs, for the wire layer that turns
 * decoded requests into coordinator calls and answers back into responses. Each rule is
 * what Kafka's request/response classes (JoinGroupRequest, LeaveGroupResponse, ...) do;
 * keeping them here means they are written once, next to the coordinator they feed.
 */
import { ErrorCode } from '../../protocol/errors';
import type { LeaveGroupResponse } from './types';

/** JoinGroup v4+ (KIP-394): a new dynamic member is first answered MEMBER_ID_REQUIRED. */
export function joinGroupRequiresKnownMemberId(apiVersion: number, groupInstanceId: string | null): boolean {
  return apiVersion >= 4 && groupInstanceId === null;
}

/** JoinGroup v9+: a static leader rejoining a Stable group is told to skip the assignment. */
export function joinGroupSupportsSkippingAssignment(apiVersion: number): boolean {
  return apiVersion >= 9;
}

/** JoinGroup v0 has no rebalance timeout: the session timeout is used. */
export function joinGroupRebalanceTimeoutMs(apiVersion: number, rebalanceTimeoutMs: number, sessionTimeoutMs: number): number {
  return apiVersion === 0 ? sessionTimeoutMs : rebalanceTimeoutMs;
}

/** JoinGroup responses before v7 cannot carry a null protocol name: "" instead. */
export function joinGroupResponseProtocolName(apiVersion: number, protocolName: string | null): string | null {
  return apiVersion < 7 ? (protocolName ?? '') : protocolName;
}

/**
 * LeaveGroup v0-v2 responses have no member list: the top-level error is the (single)
 * member's error when the request itself succeeded.
 */
export function leaveGroupTopLevelError(apiVersion: number, response: LeaveGroupResponse): number {
  if (apiVersion >= 3 || response.errorCode !== ErrorCode.NONE) return response.errorCode;
  return response.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
}

/**
 * OffsetCommit: what a commit from a member of some generation (>= 0) to a group that does
 * not exist hears. From v9 Kafka answers GROUP_ID_NOT_FOUND (for classic and consumer
 * groups alike); older versions keep ILLEGAL_GENERATION for compatibility.
 */
export function offsetCommitUnknownGroupError(apiVersion: number): number {
  return apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
}

/**
 * OffsetCommit: the request fields a version lacks, as the coordinator expects them.
 * v0 has no generation or member id; commitTimestamp exists in v1 only; retentionTimeMs in
 * v2-v4 only; groupInstanceId from v7.
 */
export function offsetCommitDefaults(apiVersion: number, fields: { generationId?: number; memberId?: string; retentionTimeMs?: number; commitTimestamp?: number }) {
  return {
    generationId: apiVersion >= 1 ? (fields.generationId ?? -1) : -1,
    memberId: apiVersion >= 1 ? (fields.memberId ?? '') : '',
    retentionTimeMs: apiVersion >= 2 && apiVersion <= 4 ? (fields.retentionTimeMs ?? -1) : -1,
    commitTimestamp: apiVersion === 1 ? (fields.commitTimestamp ?? -1) : -1,
  };
}
