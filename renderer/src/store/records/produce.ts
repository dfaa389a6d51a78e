/**
 * The records slice's producing half (engine/api/records): the topic the Produce view
 * works on, its forms, the last few sends of the producer panel (with where they
 * landed), the murmur2 preview and the load generator's commands. The generator's
 * live status comes with every snapshot (snapshot.records.load).
 */
import type { StateCreator } from 'zustand';
import type { CommandArgs, CompressionName, LoadStatus, PartitionForKeyResult, ProduceResult } from '../../../../engine/api/contract';
import type { WorkbenchErrorData } from '../../../../engine/api/errors';
import { toErrorData } from '../../errors';
import { api } from '../api';
import type { StoreState } from '../index';

const MAX_RECENT_SENDS = 8;

/** What the producer panel's fields hold, kept here so that switching views keeps them. */
export interface ProducerForm {
  key: string;
  value: string;
  format: 'text' | 'json';
  tombstone: boolean;
  partitionMode: 'key' | 'explicit';
  partition: string;
  acks: number;
  compression: CompressionName;
  headers: { id: number; key: string; value: string }[];
}

/** The load generator's fields, likewise. */
export interface LoadForm {
  rate: string;
  keySpace: string;
  size: string;
  acks: number;
  compression: CompressionName;
  readBack: boolean;
}

export interface ProduceSlice {
  produceTopic: string | null;
  recentSends: ProduceResult[];
  producerForm: ProducerForm;
  loadForm: LoadForm;
  /** The run (its startedAtMs) whose settings the load form last took, so a new run is taken once. */
  loadFormRun: number | null;
  setProduceTopic(topic: string | null): void;
  editProducerForm(patch: Partial<ProducerForm>): void;
  editLoadForm(patch: Partial<LoadForm>): void;
  /**
   * A snapshot arrived: when it shows a run the form has not taken yet (the page just
   * opened on a running generator, or it was started elsewhere), the form shows that
   * run's settings, so "Apply settings" never silently changes what is running.
   */
  followLoadRun(load: LoadStatus): void;
  /** Sends one record; the producer panel's sends are remembered (`recentSends`), the topic view's quick form's are not. */
  produce(args: CommandArgs<'produce'>, remember?: boolean): Promise<{ ok: ProduceResult } | { error: WorkbenchErrorData }>;
  /** Which partition murmur2 picks for a key (the producer panel's preview). */
  loadPartitionForKey(topic: string, key: string): Promise<PartitionForKeyResult>;
  startLoad(args: CommandArgs<'startLoad'>): Promise<{ ok: LoadStatus } | { error: WorkbenchErrorData }>;
  stopLoad(): Promise<WorkbenchErrorData | null>;
}

export const createProduceSlice: StateCreator<StoreState, [], [], ProduceSlice> = (set, get) => ({
  produceTopic: null,
  recentSends: [],
  producerForm: {
    key: '',
    value: '{"event":"page_view","user":"userA"}',
    format: 'json',
    tombstone: false,
    partitionMode: 'key',
    partition: '0',
    acks: -1,
    compression: 'none',
    headers: [],
  },
  loadForm: { rate: '5000', keySpace: '1000', size: '100', acks: 1, compression: 'none', readBack: true },
  loadFormRun: null,
  setProduceTopic(produceTopic) {
    set({ produceTopic });
  },
  editProducerForm(patch) {
    set({ producerForm: { ...get().producerForm, ...patch } });
  },
  editLoadForm(patch) {
    set({ loadForm: { ...get().loadForm, ...patch } });
  },
  followLoadRun(load) {
    const s = load.settings;
    if (!load.running || !s || load.startedAtMs === null || load.startedAtMs === get().loadFormRun) return;
    set({
      loadFormRun: load.startedAtMs,
      loadForm: { rate: String(s.ratePerS), keySpace: String(s.keySpace), size: String(s.valueBytes), acks: s.acks, compression: s.compression, readBack: s.readBack },
    });
  },
  async produce(args, remember = true) {
    try {
      const ok = await api().produce(args);
      if (remember) set({ recentSends: [ok, ...get().recentSends].slice(0, MAX_RECENT_SENDS) });
      return { ok };
    } catch (err) {
      return { error: toErrorData(err) };
    }
  },
  loadPartitionForKey: (topic, key) => api().partitionForKey({ topic, key }),
  async startLoad(args) {
    try {
      return { ok: await api().startLoad(args) };
    } catch (err) {
      return { error: toErrorData(err) };
    }
  },
  async stopLoad() {
    try {
      await api().stopLoad({});
      return null;
    } catch (err) {
      return toErrorData(err);
    }
  },
});
