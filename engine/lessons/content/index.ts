/**
 * The lesson catalogue, in the guide's order. Adding a lesson: a file in this
 * folder and one line here; `loadCatalogue` validates it (lesson.ts's invariants).
 */
import type { Lesson } from '../lesson';
import { lesson as messageDelivery } from './01-message-delivery';
import { lesson as topics } from './02-topics';
import { lesson as retention } from './03-retention';
import { lesson as subscribe } from './04-subscribe';
import { lesson as partitions } from './05-partitions';
import { lesson as replication } from './06-replication';
import { lesson as zeroCopy } from './07-zero-copy';
import { lesson as parallelConsumers } from './08-parallel-consumers';
import { lesson as producersConsumers } from './09-producers-consumers';
import { lesson as brokers } from './10-brokers';
import { lesson as logCompaction } from './11-log-compaction';

export const LESSONS: readonly Lesson[] = [messageDelivery, topics, retention, subscribe, partitions, replication, zeroCopy, parallelConsumers, producersConsumers, brokers, logCompaction];
