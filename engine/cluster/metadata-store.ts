/**
 * Cluster metadata in SQLite (better-sqlite3): the cluster id, brokers, topics,
 * topic configs, dynamic broker configs and per-partition replica assignment, leader, ISR and leader epoch.
 *
 * Schema changes are numbered migrations applied in order inside one transaction
 * each; `PRAGMA user_version` records the last one applied. Every change the engine
 * makes goes through a method here that runs in a transaction, so a crash leaves
 * either the old or the new state, never half of one.
 *
 * It plays the part ZooKeeper played for Kafka: the controller writes through
 * `asController(epoch, …)`, which refuses a deposed controller (stale epoch), and
 * broker registrations carry an epoch that grows with every restart.
 *
 * Write failures: when SQLite cannot write (the disk is full, an I/O error, a
 * read-only file system) a write throws MetadataWriteError and changed nothing; the
 * quorum and the controller refuse or retry the operation instead of failing.
 * `injectWriteFailure` makes every write fail that way (tests, the simulator).
 *
 * Invariants: a partition row exists for every partition 0..count-1 of a topic;
 * replicas is a non-empty list of distinct broker ids; isr ⊆ replicas; leader is
 * null or a member of isr; adding and removing replicas (a reassignment in progress)
 * are replicas; leader and partition epochs only grow.
 */
import Database from 'better-sqlite3';
import { assert } from '../util/assert';
import { migrate, schemaVersion } from '../util/sqlite-migrations';

/** SQLite result codes that mean the disk, not the request, is the problem. */
const DISK_ERRORS = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN'];

/** The metadata could not be written (disk full, I/O error): nothing changed; try again later. */
export class MetadataWriteError extends Error {
  override name = 'MetadataWriteError';
  constructor(
    message: string,
    /** SQLite's result code (SQLITE_FULL, SQLITE_IOERR_WRITE, …). */
    readonly sqliteCode: string,
  ) {
    super(message);
  }
}

export interface PartitionMeta {
  topic: string;
  partition: number;
  replicas: number[];
  isr: number[];
  leader: number | null;
  leaderEpoch: number;
  /** Bumped on every change of this partition's state (ISR or leader); fences stale AlterPartition. */
  partitionEpoch: number;
  /** Broker epoch of each ISR member when it joined (KIP-903). */
  isrEpochs: Record<number, number>;
  /** A reassignment in progress (KIP-455): replicas being added / to be removed; empty when none. */
  addingReplicas: number[];
  removingReplicas: number[];
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
  // 2: the cluster as several brokers: partition epochs, broker registrations, the
  // controller's epoch (fences a deposed controller's writes), producer id blocks.
  `ALTER TABLE partitions ADD COLUMN partition_epoch INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE brokers (
     id INTEGER PRIMARY KEY,
     epoch INTEGER NOT NULL,
     host TEXT NOT NULL,
     port INTEGER NOT NULL,
     registered_ms INTEGER NOT NULL
   );
   CREATE TABLE controller (id INTEGER PRIMARY KEY CHECK (id = 1), broker_id INTEGER NOT NULL, epoch INTEGER NOT NULL);
   CREATE TABLE producer_ids (id INTEGER PRIMARY KEY CHECK (id = 1), next_id INTEGER NOT NULL);`,
  // 3: the broker epoch of each ISR member (KIP-903), so a restarted broker is not trusted as in sync.
  `ALTER TABLE partitions ADD COLUMN isr_epochs TEXT NOT NULL DEFAULT '{}';`,
  // 4: dynamic broker configs (kafka-configs --entity-type brokers): resource '' is the
  // cluster-wide default, '<id>' one broker.
  `CREATE TABLE broker_configs (
     resource TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (resource, key)
   );`,
  // 5: partition reassignments in progress (KIP-455's adding and removing replicas), so
  // that a reassignment survives a restart of the controller or the whole cluster.
  `ALTER TABLE partitions ADD COLUMN adding_replicas TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE partitions ADD COLUMN removing_replicas TEXT NOT NULL DEFAULT '[]';`,
];

/** Thrown when a deposed controller tries to write: its epoch is no longer current. */
export class StaleControllerError extends Error {
  override name = 'StaleControllerError';
}

export interface MetadataStoreOptions {
  /** File path, or ':memory:' for the simulator. */
  path: string;
  /** Path to a better_sqlite3.node built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string;
}

export class MetadataStore {
  private readonly db: Database.Database;
  private injectedFailure: string | null = null;
  private writeFailure: MetadataWriteError | null = null;

  constructor(options: MetadataStoreOptions) {
    this.db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db, MIGRATIONS, 'metadata');
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** The cluster id, created on first use. */
  clusterId(create: () => string): string {
    const row = this.db.prepare('SELECT cluster_id FROM cluster WHERE id = 1').get() as { cluster_id: string } | undefined;
    if (row) return row.cluster_id;
    const id = create();
    this.write(() => this.db.prepare('INSERT INTO cluster (id, cluster_id) VALUES (1, ?)').run(id));
    return id;
  }

  createTopic(topic: TopicMeta, createdMs: number): void {
    for (const p of topic.partitions) checkPartition(p);
    this.write(() => {
      this.db.prepare('INSERT INTO topics (name, topic_id, internal, created_ms) VALUES (?, ?, ?, ?)').run(topic.name, topic.topicId, topic.internal ? 1 : 0, createdMs);
      const cfg = this.db.prepare('INSERT INTO topic_configs (topic, key, value) VALUES (?, ?, ?)');
      for (const [k, v] of Object.entries(topic.configs)) cfg.run(topic.name, k, v);
      this.insertPartitions(topic.partitions);
    });
  }

  private insertPartitions(parts: PartitionMeta[]): void {
    const stmt = this.db.prepare('INSERT INTO partitions (topic, partition, replicas, isr, leader, leader_epoch, partition_epoch, isr_epochs, adding_replicas, removing_replicas) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const p of parts) stmt.run(p.topic, p.partition, JSON.stringify(p.replicas), JSON.stringify(p.isr), p.leader, p.leaderEpoch, p.partitionEpoch, JSON.stringify(p.isrEpochs), JSON.stringify(p.addingReplicas), JSON.stringify(p.removingReplicas));
  }

  /** Adds partitions to an existing topic (CreatePartitions). */
  addPartitions(parts: PartitionMeta[]): void {
    for (const p of parts) checkPartition(p);
    this.write(() => this.insertPartitions(parts));
  }

  /** Writes new states for existing partitions, all or nothing. Epochs never go back. */
  updatePartitions(parts: PartitionMeta[]): void {
    for (const p of parts) checkPartition(p);
    const get = this.db.prepare('SELECT leader_epoch, partition_epoch FROM partitions WHERE topic = ? AND partition = ?');
    const upd = this.db.prepare('UPDATE partitions SET replicas = ?, isr = ?, leader = ?, leader_epoch = ?, partition_epoch = ?, isr_epochs = ?, adding_replicas = ?, removing_replicas = ? WHERE topic = ? AND partition = ?');
    this.write(() => {
      for (const p of parts) {
        const row = get.get(p.topic, p.partition) as { leader_epoch: number; partition_epoch: number } | undefined;
        assert(row !== undefined, () => `no partition ${p.topic}-${p.partition} to update`);
        assert(p.leaderEpoch >= row.leader_epoch && p.partitionEpoch >= row.partition_epoch, () => `epochs of ${p.topic}-${p.partition} would go backwards`);
        upd.run(JSON.stringify(p.replicas), JSON.stringify(p.isr), p.leader, p.leaderEpoch, p.partitionEpoch, JSON.stringify(p.isrEpochs), JSON.stringify(p.addingReplicas), JSON.stringify(p.removingReplicas), p.topic, p.partition);
      }
    });
  }

  /** Replaces a topic's configs (only the keys set on the topic are stored). */
  setTopicConfigs(topic: string, configs: Record<string, string>): void {
    this.write(() => {
      this.db.prepare('DELETE FROM topic_configs WHERE topic = ?').run(topic);
      const ins = this.db.prepare('INSERT INTO topic_configs (topic, key, value) VALUES (?, ?, ?)');
      for (const [k, v] of Object.entries(configs)) ins.run(topic, k, v);
    });
  }

  /** Replaces one broker resource's dynamic configs ('' the cluster-wide default, '<id>' one broker). */
  setBrokerConfigs(resource: string, configs: Readonly<Record<string, string>>): void {
    this.write(() => {
      this.db.prepare('DELETE FROM broker_configs WHERE resource = ?').run(resource);
      const ins = this.db.prepare('INSERT INTO broker_configs (resource, key, value) VALUES (?, ?, ?)');
      for (const [k, v] of Object.entries(configs)) ins.run(resource, k, v);
    });
  }

  /** Every dynamic broker config, by resource then name. */
  listBrokerConfigs(): Record<string, Record<string, string>> {
    const rows = this.db.prepare('SELECT resource, key, value FROM broker_configs ORDER BY resource, key').all() as { resource: string; key: string; value: string }[];
    const out: Record<string, Record<string, string>> = {};
    for (const r of rows) (out[r.resource] ??= {})[r.key] = r.value;
    return out;
  }

  /** Registers (or re-registers) a broker; returns its new broker epoch. */
  registerBroker(id: number, host: string, port: number, nowMs: number): number {
    return this.write(() => {
      const row = this.db.prepare('SELECT epoch FROM brokers WHERE id = ?').get(id) as { epoch: number } | undefined;
      const epoch = (row?.epoch ?? 0) + 1;
      this.db.prepare('INSERT INTO brokers (id, epoch, host, port, registered_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET epoch = excluded.epoch, host = excluded.host, port = excluded.port, registered_ms = excluded.registered_ms').run(id, epoch, host, port, nowMs);
      return epoch;
    });
  }

  /** The current controller and its epoch, or null before the first election. */
  controller(): { brokerId: number; epoch: number } | null {
    const row = this.db.prepare('SELECT broker_id, epoch FROM controller WHERE id = 1').get() as { broker_id: number; epoch: number } | undefined;
    return row ? { brokerId: row.broker_id, epoch: row.epoch } : null;
  }

  /** Makes `brokerId` the controller with a new, higher epoch. */
  electController(brokerId: number): number {
    return this.write(() => {
      const epoch = (this.controller()?.epoch ?? 0) + 1;
      this.db.prepare('INSERT INTO controller (id, broker_id, epoch) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET broker_id = excluded.broker_id, epoch = excluded.epoch').run(brokerId, epoch);
      return epoch;
    });
  }

  /** Runs `fn` in one transaction if `controllerEpoch` is still the current one. */
  asController<T>(controllerEpoch: number, fn: () => T): T {
    return this.write(() => {
      const current = this.controller();
      if (!current || current.epoch !== controllerEpoch) {
        throw new StaleControllerError(`controller epoch ${controllerEpoch} is no longer current (now ${current?.epoch ?? 'none'})`);
      }
      return fn();
    });
  }

  /** Reserves `count` producer ids; returns the first. */
  allocateProducerIds(count: number): number {
    assert(count > 0, 'allocate at least one producer id');
    return this.write(() => {
      const row = this.db.prepare('SELECT next_id FROM producer_ids WHERE id = 1').get() as { next_id: number } | undefined;
      const start = row?.next_id ?? 0;
      this.db.prepare('INSERT INTO producer_ids (id, next_id) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET next_id = excluded.next_id').run(start + count);
      return start;
    });
  }

  deleteTopic(name: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM topics WHERE name = ?').run(name).changes > 0);
  }

  listTopics(): TopicMeta[] {
    const topics = this.db.prepare('SELECT name, topic_id, internal FROM topics ORDER BY name').all() as { name: string; topic_id: string; internal: number }[];
    const configs = this.db.prepare('SELECT topic, key, value FROM topic_configs').all() as { topic: string; key: string; value: string }[];
    const parts = this.db.prepare('SELECT topic, partition, replicas, isr, leader, leader_epoch, partition_epoch, isr_epochs, adding_replicas, removing_replicas FROM partitions ORDER BY topic, partition').all() as {
      topic: string; partition: number; replicas: string; isr: string; leader: number | null; leader_epoch: number; partition_epoch: number; isr_epochs: string;
      adding_replicas: string; removing_replicas: string;
    }[];
    const byName = new Map<string, TopicMeta>();
    for (const t of topics) byName.set(t.name, { name: t.name, topicId: t.topic_id, internal: t.internal === 1, configs: {}, partitions: [] });
    for (const c of configs) byName.get(c.topic)!.configs[c.key] = c.value;
    for (const p of parts) {
      byName.get(p.topic)!.partitions.push({
        topic: p.topic, partition: p.partition, replicas: JSON.parse(p.replicas), isr: JSON.parse(p.isr), leader: p.leader, leaderEpoch: p.leader_epoch,
        partitionEpoch: p.partition_epoch,
        isrEpochs: JSON.parse(p.isr_epochs),
        addingReplicas: JSON.parse(p.adding_replicas),
        removingReplicas: JSON.parse(p.removing_replicas),
      });
    }
    return [...byName.values()];
  }

  /** From now on every write fails as SQLite does on a full disk (null: writes work again). */
  injectWriteFailure(code: string | null): void {
    this.injectedFailure = code;
  }

  /** Runs `fn` in one transaction; a disk-level failure becomes a MetadataWriteError. */
  private write<T>(fn: () => T): T {
    if (this.injectedFailure !== null) throw this.failed(new MetadataWriteError(`database or disk is full (${this.injectedFailure}, injected)`, this.injectedFailure));
    try {
      const result = this.db.transaction(fn)();
      this.writeFailure = null;
      return result;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && DISK_ERRORS.some((c) => code.startsWith(c))) throw this.failed(new MetadataWriteError((e as Error).message, code));
      throw e;
    }
  }

  private failed(err: MetadataWriteError): MetadataWriteError {
    this.writeFailure = err;
    return err;
  }

  /** The last write's failure while writes fail (cleared by the next write that succeeds). */
  get lastWriteFailure(): MetadataWriteError | null {
    return this.writeFailure;
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
  assert([...p.addingReplicas, ...p.removingReplicas].every((b) => p.replicas.includes(b)), 'adding and removing replicas must be replicas');
}
