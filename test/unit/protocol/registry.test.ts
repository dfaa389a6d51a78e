/**
 * The API table: which versions the broker advertises, current Kafka's ranges beside them,
 * that every schema compiles at every version with its invariants holding, and that
 * the message types derived from the schemas are what engine code expects.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { precompileAll } from '../../../engine/protocol/codec';
import type { FetchResponse, ProduceRequest } from '../../../engine/protocol/index';
import { checkFieldsAcrossVersions } from '../../../engine/protocol/plan';
import {
  ADVERTISED_VERSIONS,
  API_SCHEMAS,
  ApiKey,
  advertisedApiKeys,
  isFlexibleVersion,
  isSupportedVersion,
  schemaFor,
} from '../../../engine/protocol/registry';
import type { ApiSchema } from '../../../engine/protocol/schema';

describe('registry', () => {
  it('advertises exactly the planned version ranges', () => {
    expect({ ...ADVERTISED_VERSIONS }).toEqual({
      [ApiKey.ApiVersions]: [0, 4],
      [ApiKey.Produce]: [0, 11],
      [ApiKey.Fetch]: [0, 17],
      [ApiKey.ListOffsets]: [0, 10],
      [ApiKey.Metadata]: [0, 12],
      [ApiKey.OffsetCommit]: [0, 9],
      [ApiKey.OffsetFetch]: [0, 9],
      [ApiKey.FindCoordinator]: [0, 6],
      [ApiKey.JoinGroup]: [0, 9],
      [ApiKey.Heartbeat]: [0, 4],
      [ApiKey.LeaveGroup]: [0, 5],
      [ApiKey.SyncGroup]: [0, 5],
      [ApiKey.DescribeGroups]: [0, 5],
      [ApiKey.ListGroups]: [0, 5],
      [ApiKey.DeleteGroups]: [0, 2],
      [ApiKey.CreateTopics]: [0, 7],
      [ApiKey.DeleteTopics]: [0, 6],
      [ApiKey.CreatePartitions]: [0, 3],
      [ApiKey.DescribeConfigs]: [0, 4],
      [ApiKey.AlterConfigs]: [0, 2],
      [ApiKey.IncrementalAlterConfigs]: [0, 1],
      [ApiKey.DeleteRecords]: [0, 2],
      [ApiKey.InitProducerId]: [0, 5],
      [ApiKey.OffsetForLeaderEpoch]: [0, 4],
      [ApiKey.DescribeCluster]: [0, 1],
      [ApiKey.SaslHandshake]: [0, 1],
      [ApiKey.ElectLeaders]: [0, 2],
      [ApiKey.AlterPartitionReassignments]: [0, 0],
      [ApiKey.ListPartitionReassignments]: [0, 0],
      [ApiKey.OffsetDelete]: [0, 0],
      [ApiKey.DescribeLogDirs]: [0, 4],
    });
    expect(Object.isFrozen(ADVERTISED_VERSIONS)).toBe(true);
  });

  it("records current Kafka's ranges, and advertises every API to the end of its range", () => {
    const wider = (API_SCHEMAS as readonly ApiSchema[])
      .filter((s) => s.kafkaVersions[1] !== s.validVersions[1])
      .map((s) => `${s.name} ${s.kafkaVersions[0]}-${s.kafkaVersions[1]}`);
    expect(wider).toEqual([]);
  });

  it('knows the flexible versions of each API', () => {
    const firstFlexible = Object.fromEntries(
      (API_SCHEMAS as readonly ApiSchema[]).map((s) => {
        let v = s.validVersions[0];
        while (v <= s.validVersions[1] && !isFlexibleVersion(s, v)) v++;
        return [s.name, v <= s.validVersions[1] ? v : null];
      }),
    );
    expect(firstFlexible).toEqual({
      Produce: 9,
      Fetch: 12,
      ListOffsets: 6,
      Metadata: 9,
      OffsetCommit: 8,
      OffsetFetch: 6,
      FindCoordinator: 3,
      JoinGroup: 6,
      Heartbeat: 4,
      LeaveGroup: 4,
      SyncGroup: 4,
      DescribeGroups: 5,
      ListGroups: 3,
      SaslHandshake: null,
      ApiVersions: 3,
      CreateTopics: 5,
      DeleteTopics: 4,
      DeleteRecords: 2,
      InitProducerId: 2,
      OffsetForLeaderEpoch: 4,
      DescribeConfigs: 4,
      AlterConfigs: 2,
      CreatePartitions: 2,
      DeleteGroups: 2,
      IncrementalAlterConfigs: 1,
      DescribeCluster: 0,
      ElectLeaders: 2,
      AlterPartitionReassignments: 0,
      ListPartitionReassignments: 0,
      OffsetDelete: null,
      DescribeLogDirs: 2,
    });
  });

  it('compiles every version of every API, with the schema invariants holding', () => {
    expect(() => precompileAll()).not.toThrow();
    for (const schema of API_SCHEMAS as readonly ApiSchema[]) {
      const versions: number[] = [];
      for (let v = schema.validVersions[0]; v <= schema.validVersions[1]; v++) versions.push(v);
      const flexible = (v: number) => isFlexibleVersion(schema, v);
      expect(() => checkFieldsAcrossVersions(schema.request, versions, flexible), schema.name).not.toThrow();
      expect(() => checkFieldsAcrossVersions(schema.response, versions, flexible), schema.name).not.toThrow();
    }
  });

  it('rejects schemas that break the invariants', () => {
    const flexibleFrom = (n: number) => (v: number) => v >= n;
    expect(() =>
      checkFieldsAcrossVersions([{ name: 'a', type: 'int32', versions: '0+', taggedVersions: '0+', tag: 0 }], [0, 1], flexibleFrom(1)),
    ).toThrow(/tagged in non-flexible version 0/);
    expect(() =>
      checkFieldsAcrossVersions(
        [
          { name: 'a', type: 'int32', versions: '0+', taggedVersions: '0+', tag: 1 },
          { name: 'b', type: 'int32', versions: '0+', taggedVersions: '0+', tag: 1 },
        ],
        [0],
        flexibleFrom(0),
      ),
    ).toThrow(/duplicate tag 1/);
    expect(() => checkFieldsAcrossVersions([{ name: 'a', type: 'int32', versions: '0+', nullableVersions: '0+' }], [0], flexibleFrom(9))).toThrow(
      /cannot be nullable/,
    );
    expect(() => checkFieldsAcrossVersions([{ name: 'a', type: 'int32', versions: '5+' }], [0, 1], flexibleFrom(9))).toThrow(
      /exists in none of the versions/,
    );
    expect(() => checkFieldsAcrossVersions([{ name: 'a', type: 'string', versions: '0+', default: 3 }], [0], flexibleFrom(9))).toThrow(
      /string field a has default 3/,
    );
  });

  it('answers lookups by key', () => {
    expect(schemaFor(ApiKey.Fetch)?.name).toBe('Fetch');
    expect(schemaFor(4)).toBeUndefined(); // LeaderAndIsr: not a client API
    expect(isSupportedVersion(ApiKey.Fetch, 17)).toBe(true);
    expect(isSupportedVersion(ApiKey.Fetch, 18)).toBe(false);
    expect(isSupportedVersion(ApiKey.Fetch, -1)).toBe(false);
    expect(advertisedApiKeys().map((k) => k.apiKey)).toEqual([0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 32, 33, 35, 37, 42, 43, 44, 45, 46, 47, 60]);
  });

  it('derives message types from the schemas', () => {
    expectTypeOf<ProduceRequest['transactionalId']>().toEqualTypeOf<string | null>();
    expectTypeOf<ProduceRequest['topicData'][number]['partitionData'][number]['records']>().toEqualTypeOf<Buffer | null>();
    expectTypeOf<FetchResponse['responses'][number]['partitions'][number]['currentLeader']>().toEqualTypeOf<{
      leaderId: number;
      leaderEpoch: number;
    }>();
    expectTypeOf<FetchResponse['responses'][number]['partitions'][number]['abortedTransactions']>().toEqualTypeOf<
      { producerId: number; firstOffset: number }[] | null
    >();
  });
});
