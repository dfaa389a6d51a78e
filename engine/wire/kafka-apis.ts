/**
 * The request handler of a broker's listener: one decoded request in, one response
 * message out (or null: acks=0 produce). Dispatches on the API key to the handler of
 * each API; every API this broker advertises is here.
 */
import { ApiKey, type DecodedRequest } from '../protocol';
import { handleAlterConfigs, handleCreatePartitions, handleCreateTopics, handleDeleteTopics, handleDescribeConfigs, handleDescribeLogDirs, handleIncrementalAlterConfigs } from './admin-apis';
import type { RequestMeta } from './connection';
import type { WireContext } from './context';
import { handleDeleteRecords, handleFetch, handleListOffsets, handleOffsetForLeaderEpoch, handleProduce } from './data-apis';
import {
  handleDeleteGroups, handleDescribeGroups, handleHeartbeat, handleJoinGroup, handleLeaveGroup, handleListGroups, handleOffsetCommit, handleOffsetDelete, handleOffsetFetch, handleSyncGroup,
} from './group-apis';
import { handleAlterPartitionReassignments, handleElectLeaders, handleListPartitionReassignments } from './reassignment-apis';
import { handleApiVersions, handleDescribeCluster, handleFindCoordinator, handleInitProducerId, handleMetadata, handleSaslHandshake } from './metadata-api';

export async function handleRequest(ctx: WireContext, req: DecodedRequest, meta: RequestMeta): Promise<unknown | null> {
  const v = req.apiVersion;
  switch (req.apiKey) {
    case ApiKey.ApiVersions:
      return handleApiVersions(ctx, v);
    case ApiKey.Metadata:
      return handleMetadata(ctx, v, req.message);
    case ApiKey.Produce:
      return handleProduce(ctx, v, req.message);
    case ApiKey.Fetch:
      return handleFetch(ctx, v, req.message);
    case ApiKey.ListOffsets:
      return handleListOffsets(ctx, v, req.message);
    case ApiKey.OffsetForLeaderEpoch:
      return handleOffsetForLeaderEpoch(ctx, v, req.message);
    case ApiKey.DeleteRecords:
      return handleDeleteRecords(ctx, v, req.message);
    case ApiKey.FindCoordinator:
      return handleFindCoordinator(ctx, v, req.message);
    case ApiKey.JoinGroup:
      return handleJoinGroup(ctx, v, req.message, meta.clientId ?? '', meta.clientHost);
    case ApiKey.SyncGroup:
      return handleSyncGroup(ctx, v, req.message);
    case ApiKey.Heartbeat:
      return handleHeartbeat(ctx, v, req.message);
    case ApiKey.LeaveGroup:
      return handleLeaveGroup(ctx, v, req.message);
    case ApiKey.OffsetCommit:
      return handleOffsetCommit(ctx, v, req.message);
    case ApiKey.OffsetFetch:
      return handleOffsetFetch(ctx, v, req.message);
    case ApiKey.DescribeGroups:
      return handleDescribeGroups(ctx, v, req.message);
    case ApiKey.ListGroups:
      return handleListGroups(ctx, v, req.message);
    case ApiKey.DeleteGroups:
      return handleDeleteGroups(ctx, v, req.message);
    case ApiKey.OffsetDelete:
      return handleOffsetDelete(ctx, v, req.message);
    case ApiKey.CreateTopics:
      return handleCreateTopics(ctx, v, req.message);
    case ApiKey.DeleteTopics:
      return handleDeleteTopics(ctx, v, req.message);
    case ApiKey.CreatePartitions:
      return handleCreatePartitions(ctx, v, req.message);
    case ApiKey.DescribeConfigs:
      return handleDescribeConfigs(ctx, v, req.message);
    case ApiKey.AlterConfigs:
      return handleAlterConfigs(ctx, v, req.message);
    case ApiKey.IncrementalAlterConfigs:
      return handleIncrementalAlterConfigs(ctx, v, req.message);
    case ApiKey.InitProducerId:
      return handleInitProducerId(ctx, v, req.message);
    case ApiKey.DescribeCluster:
      return handleDescribeCluster(ctx, v, req.message);
    case ApiKey.SaslHandshake:
      return handleSaslHandshake();
    case ApiKey.ElectLeaders:
      return handleElectLeaders(ctx, v, req.message);
    case ApiKey.AlterPartitionReassignments:
      return handleAlterPartitionReassignments(ctx, v, req.message);
    case ApiKey.ListPartitionReassignments:
      return handleListPartitionReassignments(ctx, v, req.message);
    case ApiKey.DescribeLogDirs:
      return handleDescribeLogDirs(ctx, v, req.message);
  }
}
