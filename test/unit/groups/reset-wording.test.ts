/**
 * The words a person reads when an offset reset is refused: built by the groups service
 * from the coordinator's error code and the group as the reset found it.
 */
import { describe, expect, it } from 'vitest';
import { resetFailureMessage } from '../../../engine/groups/groups';
import { ErrorCode } from '../../../engine/protocol/errors';

describe('resetFailureMessage', () => {
  it("an active group: Kafka's refusal (only while inactive), its state and member count, and what to do", () => {
    const message = resetFailureMessage('g', ErrorCode.UNKNOWN_MEMBER_ID, 'Stable', 1, 12);
    expect(message).toContain('inactive');
    expect(message).toContain('Stable with 1 member');
    expect(message).toBe('Offsets of group "g" can only be reset while the group is inactive, but it is Stable with 1 member. Stop its consumers, wait until it is Empty, then reset again.');
    expect(resetFailureMessage('g', ErrorCode.REBALANCE_IN_PROGRESS, 'PreparingRebalance', 2, 12)).toContain('it is PreparingRebalance with 2 members.');
    expect(resetFailureMessage('g', ErrorCode.ILLEGAL_GENERATION, 'CompletingRebalance', 0, 12)).toContain('it is CompletingRebalance with 0 members.');
  });

  it('coordinator trouble names the partition or says to wait', () => {
    expect(resetFailureMessage('g', ErrorCode.NOT_COORDINATOR, 'Dead', 0, 12)).toBe(
      'This broker does not coordinate group "g" (partition 12 of __consumer_offsets is led elsewhere). Ask the group\'s coordinator.',
    );
    expect(resetFailureMessage('g', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, 'Dead', 0, 12)).toBe('The coordinator of group "g" is still loading its state. Try again in a moment.');
    expect(resetFailureMessage('g', ErrorCode.COORDINATOR_NOT_AVAILABLE, 'Empty', 0, 12)).toBe(
      'The coordinator of group "g" cannot write to __consumer_offsets right now (not enough in-sync replicas?). Try again when the brokers are back.',
    );
  });

  it('bad values, and any other error by its code', () => {
    expect(resetFailureMessage('g', ErrorCode.OFFSET_METADATA_TOO_LARGE, 'Empty', 0, 12)).toBe('The metadata string of an offset is too long for offset.metadata.max.bytes. Shorten it.');
    expect(resetFailureMessage('g', ErrorCode.INVALID_REQUEST, 'Empty', 0, 12)).toBe('An offset, partition or topic name is out of range. Check the values and try again.');
    expect(resetFailureMessage('g', ErrorCode.INVALID_COMMIT_OFFSET_SIZE, 'Empty', 0, 12)).toBe(`Resetting the offsets of group "g" failed with Kafka error ${ErrorCode.INVALID_COMMIT_OFFSET_SIZE}. Try again.`);
  });
});
