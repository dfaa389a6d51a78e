/**
 * Topic configs for the UI: describe every config (value in effect, source, default,
 * type, allowed values, one-sentence doc from storage/topic-config.ts) and alter them
 * through the controller, as Kafka's IncrementalAlterConfigs does (the same request
 * the wire layer sends for kafka-configs --alter).
 *
 * Validation order, so that the error lands next to the field it is about:
 *   1. every name must be a topic config (field `config:<name>`);
 *   2. every value alone, on top of the topic's other configs (field `config:<name>`);
 *   3. the whole result (cross-config rules such as min ≤ max compaction lag; field `configs`);
 *   4. the controller validates again and applies (or, with validateOnly, does not).
 * After a real change the call returns once every live broker applies the new configs,
 * so what the UI shows next (segments rolling at the new segment.bytes…) follows them.
 *
 * Invariant: a refused change changes nothing.
 */
import type { AlterTopicConfigsResult, ParsedArgs, TopicConfigEntry, TopicConfigsResult } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import type * as M from '../cluster/messages';
import { ErrorCode } from '../protocol/errors';
import { StorageError } from '../storage/errors';
import { describeTopicConfig, topicConfigDef, validateTopicConfigs } from '../storage/topic-config';
import type { TopicsDeps } from './service';

/** How long a change may take to reach every live broker before the call returns anyway. */
const APPLY_WAIT_MS = 5000;

const has = (o: Readonly<Record<string, string>>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function describeTopicConfigs(deps: TopicsDeps, args: ParsedArgs<'describeTopicConfigs'>): TopicConfigsResult {
  const topic = deps.io.topic(args.topic);
  const defaults = deps.cluster.topicDefaults;
  const entries: TopicConfigEntry[] = describeTopicConfig(deps.cluster.topicConfig(topic)).map((c) => ({
    name: c.name,
    value: c.value,
    defaultValue: c.defaultValue,
    source: has(topic.configs, c.name) ? 'topic' : has(defaults, c.name) ? 'broker' : 'default',
    type: c.type,
    allowed: c.allowed,
    doc: c.doc,
    deprecated: c.deprecated,
  }));
  return { topic: topic.name, entries };
}

function invalid(message: string, field: string): WorkbenchError {
  return new WorkbenchError('INVALID_CONFIG', message, field);
}

function reason(err: unknown): string {
  return err instanceof StorageError || err instanceof Error ? err.message : String(err);
}

export async function alterTopicConfigs(deps: TopicsDeps, args: ParsedArgs<'alterTopicConfigs'>): Promise<AlterTopicConfigsResult> {
  const topic = deps.io.topic(args.topic);
  const set = args.set ?? {};
  const reset = args.reset ?? [];
  const validateOnly = args.validateOnly ?? false;
  const defaults = deps.cluster.topicDefaults;

  for (const name of [...Object.keys(set), ...reset]) {
    if (!topicConfigDef(name)) throw invalid(`"${name}" is not a topic config. Pick one from the list of topic configs.`, `config:${name}`);
  }
  const next: Record<string, string> = { ...topic.configs };
  for (const name of reset) delete next[name];
  for (const [name, value] of Object.entries(set)) {
    try {
      validateTopicConfigs({ ...defaults, ...next, [name]: value });
    } catch (err) {
      throw invalid(`${reason(err)} Enter an allowed value, or reset it to the default.`, `config:${name}`);
    }
    next[name] = value.trim();
  }
  try {
    validateTopicConfigs({ ...defaults, ...next });
  } catch (err) {
    throw invalid(`${reason(err)} Change one of the two values so they agree.`, 'configs');
  }

  const ops: M.ConfigOp[] = [
    ...reset.filter((name) => !has(set, name)).map((key) => ({ key, op: 'delete' as const, value: null })),
    ...Object.entries(set).map(([key, value]) => ({ key, op: 'set' as const, value: value.trim() })),
  ];
  const res = await deps.controller.controllerRequest<M.AlterConfigsResponse>({ type: 'alter-configs', mode: 'incremental', validateOnly, resources: [{ topic: topic.name, ops }] });
  const r = res.results.find((x) => x.name === topic.name);
  if (!r) throw new WorkbenchError('REQUEST_TIMED_OUT', 'The controller did not answer for this topic. Check that the brokers are up, then try again.');
  if (r.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) throw new WorkbenchError('UNKNOWN_TOPIC_OR_PARTITION', `Topic "${topic.name}" was deleted meanwhile. Pick another topic.`, 'topic');
  if (r.errorCode !== ErrorCode.NONE) throw invalid(`${r.errorMessage ?? 'The controller refused the change.'} Correct the value and try again.`, 'configs');

  if (!validateOnly) await waitUntilApplied(deps, topic.name, next);
  deps.changed();
  const now = deps.cluster.image()?.topics.get(topic.name)?.configs ?? (validateOnly ? topic.configs : next);
  return { topic: topic.name, validateOnly, configs: { ...(validateOnly ? topic.configs : now) } };
}

function sameConfigs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Waits (bounded) until every live broker's metadata image carries the topic's new configs. */
async function waitUntilApplied(deps: TopicsDeps, topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
  const deadline = deps.clock.monotonicMs() + APPLY_WAIT_MS;
  while (deps.clock.monotonicMs() < deadline) {
    const applied = deps.cluster.liveBrokerImages().every((image) => !image.topics.has(topic) || sameConfigs(image.topics.get(topic)!.configs, configs));
    if (applied) return;
    await deps.io.sleep(20);
  }
}
