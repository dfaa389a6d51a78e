/**
 * Cluster metadata in SQLite (better-sqlite3): the cluster id, brokers, topics,
 * topic configs and per-partition replica assignment, leader, ISR and leader epoch.
 *
 * Schema changes are numbered migrations applied in order inside one transaction
 * each; `PRAGMA user_version` records the last one applied. Every change the engine
 * makes goes through a method here that runs in a transaction, so a crash leaves
 * either the old or the new state, never half of one.
 *
 * Invariants: a partition row exists for every partition 0..count-1 of a topic;
 * replicas is a non-empty list of distinct broker ids; isr ⊆ replicas; leader is
 * null or a member of isr; leader epochs only grow.
 */
import Database from 'better-sqlite3';
import { assert } from '../util/assert';

export interface PartitionMeta {
  topic: string;
  partition: number;
  replicas: number[];
  isr: number[];
  leader: number | null;
  leaderEpoch: number;
}

export interface TopicMeta {
  name: string;
  topicId: string;
  internal: boolean;
  configs: Record<string, string>;
  partitions: PartitionMeta[];
}

const MIGRATIONS: string[] = [
  // 1: the first schema.
  `CREATE TABLE cluster (id INTEGER PRIMARY KEY CHECK (id = 1), cluster_id TEXT NOT NULL);
   CREATE TABLE topics (
     name TEXT PRIMARY KEY,
     topic_id TEXT NOT NULL UNIQUE,
     internal INTEGER NOT NULL DEFAULT 0,
     created_ms INTEGER NOT NULL
   );
   CREATE TABLE topic_configs (
     topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (topic, key)
   );
   CREATE TABLE partitions (
     topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
     partition INTEGER NOT NULL,
     replicas TEXT NOT NULL,
     isr TEXT NOT NULL,
     leader INTEGER,
     leader_epoch INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (topic, partition)
   );`,
];

export interface MetadataStoreOptions {
  /** File path, or ':memory:' for the simulator. */
  path: string;
  /** Path to a better_sqlite3.node built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string;
}

export class MetadataStore {
  private readonly db: Database.Database;

  constructor(options: MetadataStoreOptions) {
    this.db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    assert(current <= MIGRATIONS.length, () => `metadata database is from a newer version (schema ${current}, this build knows ${MIGRATIONS.length})`);
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** The cluster id, created on first use. */
  clusterId(create: () => string): string {
    const row = this.db.prepare('SELECT cluster_id FROM cluster WHERE id = 1').get() as { cluster_id: string } | undefined;
    if (row) return row.cluster_id;
    const id = create();
    this.db.prepare('INSERT INTO cluster (id, cluster_id) VALUES (1, ?)').run(id);
    return id;
  }

  createTopic(topic: TopicMeta, createdMs: number): void {
    for (const p of topic.partitions) checkPartition(p);
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO topics (name, topic_id, internal, created_ms) VALUES (?, ?, ?, ?)').run(topic.name, topic.topicId, topic.internal ? 1 : 0, createdMs);
      const cfg = this.db.prepare('INSERT INTO topic_configs (topic, key, value) VALUES (?, ?, ?)');
      for (const [k, v] of Object.entries(topic.configs)) cfg.run(topic.name, k, v);
      const part = this.db.prepare('INSERT INTO partitions (topic, partition, replicas, isr, leader, leader_epoch) VALUES (?, ?, ?, ?, ?, ?)');
      for (const p of topic.partitions) part.run(topic.name, p.partition, JSON.stringify(p.replicas), JSON.stringify(p.isr), p.leader, p.leaderEpoch);
    })();
  }

  deleteTopic(name: string): boolean {
    return this.db.prepare('DELETE FROM topics WHERE name = ?').run(name).changes > 0;
  }

  listTopics(): TopicMeta[] {
    const topics = this.db.prepare('SELECT name, topic_id, internal FROM topics ORDER BY name').all() as { name: string; topic_id: string; internal: number }[];
    const configs = this.db.prepare('SELECT topic, key, value FROM topic_configs').all() as { topic: string; key: string; value: string }[];
    const parts = this.db.prepare('SELECT topic, partition, replicas, isr, leader, leader_epoch FROM partitions ORDER BY topic, partition').all() as {
      topic: string; partition: number; replicas: string; isr: string; leader: number | null; leader_epoch: number;
    }[];
    const byName = new Map<string, TopicMeta>();
    for (const t of topics) byName.set(t.name, { name: t.name, topicId: t.topic_id, internal: t.internal === 1, configs: {}, partitions: [] });
    for (const c of configs) byName.get(c.topic)!.configs[c.key] = c.value;
    for (const p of parts) {
      byName.get(p.topic)!.partitions.push({
        topic: p.topic, partition: p.partition, replicas: JSON.parse(p.replicas), isr: JSON.parse(p.isr), leader: p.leader, leaderEpoch: p.leader_epoch,
      });
    }
    return [...byName.values()];
  }

  close(): void {
    this.db.close();
  }
}

function checkPartition(p: PartitionMeta): void {
  assert(p.replicas.length > 0, 'a partition needs at least one replica');
  assert(new Set(p.replicas).size === p.replicas.length, 'replicas must be distinct');
  assert(p.isr.every((b) => p.replicas.includes(b)), 'isr must be a subset of replicas');
  assert(p.leader === null || p.isr.includes(p.leader), 'leader must be in the isr');
}
