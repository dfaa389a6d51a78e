/** Kafka's per-version rules for the classic group APIs, as the wire layer applies them. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../engine/protocol/errors';
import {
  joinGroupRebalanceTimeoutMs,
  joinGroupRequiresKnownMemberId,
  joinGroupResponseProtocolName,
  joinGroupSupportsSkippingAssignment,
  leaveGroupTopLevelError,
  offsetCommitDefaults,
  offsetCommitUnknownGroupError,
} from '../../../engine/cluster/group/wire-versions';

describe('wire version rules', () => {
  it('JoinGroup', () => {
    expect([3, 4].map((v) => joinGroupRequiresKnownMemberId(v, null))).toEqual([false, true]);
    expect(joinGroupRequiresKnownMemberId(5, 'instance')).toBe(false);
    expect([8, 9].map(joinGroupSupportsSkippingAssignment)).toEqual([false, true]);
    expect(joinGroupRebalanceTimeoutMs(0, -1, 10_000)).toBe(10_000);
    expect(joinGroupRebalanceTimeoutMs(1, 60_000, 10_000)).toBe(60_000);
    expect(joinGroupResponseProtocolName(6, null)).toBe('');
    expect(joinGroupResponseProtocolName(7, null)).toBeNull();
  });

  it('LeaveGroup v0-v2 carry the member error at the top level', () => {
    const response = { errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 25 }] };
    expect(leaveGroupTopLevelError(2, response)).toBe(25);
    expect(leaveGroupTopLevelError(3, response)).toBe(0);
    expect(leaveGroupTopLevelError(1, { errorCode: 16, members: [] })).toBe(16);
  });

  it('OffsetCommit fields absent from a version take their defaults', () => {
    expect(offsetCommitDefaults(0, { generationId: 5, memberId: 'm', retentionTimeMs: 9, commitTimestamp: 9 })).toEqual({ generationId: -1, memberId: '', retentionTimeMs: -1, commitTimestamp: -1 });
    expect(offsetCommitDefaults(1, { generationId: 5, memberId: 'm', retentionTimeMs: 9, commitTimestamp: 9 })).toEqual({ generationId: 5, memberId: 'm', retentionTimeMs: -1, commitTimestamp: 9 });
    expect(offsetCommitDefaults(3, { generationId: 5, memberId: 'm', retentionTimeMs: 9, commitTimestamp: 9 })).toEqual({ generationId: 5, memberId: 'm', retentionTimeMs: 9, commitTimestamp: -1 });
    expect(offsetCommitDefaults(8, { generationId: 5, memberId: 'm', retentionTimeMs: 9, commitTimestamp: 9 })).toEqual({ generationId: 5, memberId: 'm', retentionTimeMs: -1, commitTimestamp: -1 });
  });

  it('OffsetCommit to a group that does not exist: ILLEGAL_GENERATION before v9, GROUP_ID_NOT_FOUND from v9', () => {
    expect([0, 8, 9].map(offsetCommitUnknownGroupError)).toEqual([ErrorCode.ILLEGAL_GENERATION, ErrorCode.ILLEGAL_GENERATION, ErrorCode.GROUP_ID_NOT_FOUND]);
  });
});
