import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commandSchemas } from '../../../engine/api/contract';
import { dispatch, parseArgs, type EngineCommands } from '../../../engine/api/dispatch';
import { WorkbenchError } from '../../../engine/api/errors';

function errorOf(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error('expected an error');
}

describe('contract argument validation', () => {
  it('lists the same commands in the name list and the schemas', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(commandSchemas).sort());
  });

  it.each([
    ['', 'cannot be empty'],
    ['.', '"." or ".."'],
    ['..', '"." or ".."'],
    ['a'.repeat(250), 'at most 249'],
    ['has space', 'letters, digits'],
    ['ünicode', 'letters, digits'],
    ['slash/name', 'letters, digits'],
  ])('refuses topic name %j with INVALID_TOPIC_EXCEPTION on the name field', (name, text) => {
    const err = errorOf(() => parseArgs('createTopic', { name, partitions: 1, replicationFactor: 1 }));
    expect(err.code).toBe('INVALID_TOPIC_EXCEPTION');
    expect(err.kafkaCode).toBe(17);
    expect(err.field).toBe('name');
    expect(err.message).toContain(text);
  });

  it('accepts names Kafka accepts, up to 249 characters', () => {
    for (const name of ['a', 'user_activity', 'A.b-c_9', 'x'.repeat(249), '...']) {
      expect(parseArgs('createTopic', { name, partitions: 1, replicationFactor: 1 }).name).toBe(name);
    }
  });

  it('refuses partitions below 1 with INVALID_PARTITIONS and a fractional replication factor with INVALID_REPLICATION_FACTOR', () => {
    const p = errorOf(() => parseArgs('createTopic', { name: 't', partitions: 0, replicationFactor: 1 }));
    expect([p.code, p.field]).toEqual(['INVALID_PARTITIONS', 'partitions']);
    const nan = errorOf(() => parseArgs('createTopic', { name: 't', partitions: Number.NaN, replicationFactor: 1 }));
    expect(nan.field).toBe('partitions');
    const rf = errorOf(() => parseArgs('createTopic', { name: 't', partitions: 1, replicationFactor: 1.5 }));
    expect([rf.code, rf.field]).toEqual(['INVALID_REPLICATION_FACTOR', 'replicationFactor']);
  });

  it('refuses unknown arguments instead of ignoring them', () => {
    const err = errorOf(() => parseArgs('deleteTopic', { name: 't', force: true }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('"force"');
  });

  it('does not call the engine when arguments are bad, nor for unknown or host-level commands', async () => {
    let called = 0;
    const engine = new Proxy({}, { get: () => () => void called++ }) as unknown as EngineCommands;
    await expect(dispatch(engine, 'createTopic', { name: '', partitions: 1, replicationFactor: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC_EXCEPTION' });
    await expect(dispatch(engine, 'dropEverything', {})).rejects.toMatchObject({ code: 'UNKNOWN_COMMAND' });
    await expect(dispatch(engine, 'restartEngine', {})).rejects.toMatchObject({ code: 'UNKNOWN_COMMAND' });
    await expect(dispatch(engine, 'produce', { topic: 't', value: 'v', partition: -1 })).rejects.toMatchObject({ field: 'partition' });
    expect(called).toBe(0);
    await dispatch(engine, 'getCluster', {});
    expect(called).toBe(1);
  });
});
