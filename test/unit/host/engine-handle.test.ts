import { describe, expect, it } from 'vitest';
import { describeThrown } from '../../../engine/host/engine-handle';

describe('what a crashed engine thread says', () => {
  it('keeps the message and the code of an error that crossed the thread boundary, whatever shape it arrived in', () => {
    expect(describeThrown(new Error('boom'))).toBe('boom');
    expect(describeThrown({ code: 'SQLITE_FULL', message: 'database or disk is full' })).toBe('SQLITE_FULL: database or disk is full');
    expect(describeThrown({ code: 'SQLITE_FULL' })).toBe('SQLITE_FULL');
    expect(describeThrown({})).toBe('an unknown error');
    expect(describeThrown('text')).toBe('text');
    expect(describeThrown(undefined)).toBe('undefined');
  });
});
