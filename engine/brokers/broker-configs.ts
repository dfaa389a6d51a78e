/**
 * Broker configs for the UI: every broker config with the value in effect on one broker
 * and its source (DYNAMIC_BROKER_CONFIG > DYNAMIC_DEFAULT_BROKER_CONFIG >
 * STATIC_BROKER_CONFIG > DEFAULT_CONFIG, with Kafka's synonyms), and changes to the
 * cluster-wide dynamic defaults, sent to the controller as the same request the wire
 * layer sends for `kafka-configs --entity-type brokers --entity-default --alter`.
 *
 * Validation order, so that an error lands next to the field it is about:
 *   1. each name must be a broker config that may change while the cluster runs, and
 *      each value must parse in its range (field `config:<name>`);
 *   2. the controller validates again and applies (or, with validateOnly, does not).
 * After a real change the call returns once every live broker has the new defaults, so
 * what the UI shows next follows them.
 *
 * Invariant: a refused change changes nothing.
 */
import type { AlterBrokerDefaultConfigsResult, BrokerConfigsResult, ParsedArgs } from '../api/contract';
import { WorkbenchError } from '../api/errors';
import { BrokerConfigError, DEFAULT_BROKER_RESOURCE, alterDynamicBrokerConfigs, describeBrokerConfigs } from '../cluster/broker-configs';
import type * as M from '../cluster/messages';
import type { ClusterControl, ClusterState, ControllerPort } from '../ports';
import { ErrorCode } from '../protocol/errors';
import type { Clock } from '../util/clock';

/** How long a change may take to reach every live broker before the call returns anyway. */
const APPLY_WAIT_MS = 5000;

export interface BrokerConfigsDeps {
  cluster: ClusterControl;
  state: ClusterState;
  controller: ControllerPort;
  clock: Clock;
}

export async function describeBrokerConfigsOf(deps: BrokerConfigsDeps, brokerId: number): Promise<BrokerConfigsResult> {
  // Just after a start the dynamic configs are known once a controller has published.
  await deps.state.ready();
  const image = deps.cluster.latestImage();
  const entries = describeBrokerConfigs(deps.cluster.config, image?.brokerConfigs ?? {}, String(brokerId));
  return { brokerId, entries };
}

export async function alterBrokerDefaultConfigs(deps: BrokerConfigsDeps, args: ParsedArgs<'alterBrokerDefaultConfigs'>): Promise<AlterBrokerDefaultConfigsResult> {
  const set = args.set ?? {};
  const reset = (args.reset ?? []).filter((name) => !Object.prototype.hasOwnProperty.call(set, name));
  const validateOnly = args.validateOnly ?? false;
  const config = deps.cluster.config;
  await deps.state.ready();
  const dynamic = deps.cluster.latestImage()?.brokerConfigs ?? {};
  const ops: M.ConfigOp[] = [
    ...reset.map((key) => ({ key, op: 'delete' as const, value: null })),
    ...Object.entries(set).map(([key, value]) => ({ key, op: 'set' as const, value: value.trim() })),
  ];
  // Each op alone first, so the error names the field it is about.
  for (const op of ops) {
    try {
      alterDynamicBrokerConfigs(config, dynamic, DEFAULT_BROKER_RESOURCE, 'incremental', [op]);
    } catch (err) {
      if (!(err instanceof BrokerConfigError)) throw err;
      throw new WorkbenchError(err.code, `${err.message}${err.code === 'INVALID_CONFIG' ? ' Enter an allowed value, or reset it to the default.' : ''}`, `config:${op.key}`);
    }
  }
  let next: Record<string, string>;
  try {
    next = alterDynamicBrokerConfigs(config, dynamic, DEFAULT_BROKER_RESOURCE, 'incremental', ops);
  } catch (err) {
    if (!(err instanceof BrokerConfigError)) throw err;
    throw new WorkbenchError(err.code, `${err.message} Change one of the values so they agree.`, 'configs');
  }
  const res = await deps.controller.controllerRequest<M.AlterBrokerConfigsResponse>({
    type: 'alter-broker-configs', mode: 'incremental', validateOnly, resources: [{ resource: DEFAULT_BROKER_RESOURCE, ops }],
  });
  const r = res.results[0];
  if (!r) throw new WorkbenchError('REQUEST_TIMED_OUT', 'The controller did not answer. Check that the brokers are up, then try again.');
  if (r.errorCode !== ErrorCode.NONE) {
    throw new WorkbenchError(r.errorCode === ErrorCode.INVALID_REQUEST ? 'INVALID_REQUEST' : 'INVALID_CONFIG', `${r.errorMessage ?? 'The controller refused the change.'} Correct the value and try again.`, 'configs');
  }
  if (validateOnly) return { validateOnly, defaults: { ...(dynamic[DEFAULT_BROKER_RESOURCE] ?? {}) } };
  await waitUntilApplied(deps, next);
  return { validateOnly, defaults: next };
}

const sameConfigs = (a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

async function waitUntilApplied(deps: BrokerConfigsDeps, expected: Record<string, string>): Promise<void> {
  const deadline = deps.clock.monotonicMs() + APPLY_WAIT_MS;
  while (!deps.state.liveBrokerImages().every((img) => sameConfigs(img.brokerConfigs[DEFAULT_BROKER_RESOURCE], expected))) {
    if (deps.clock.monotonicMs() > deadline) return;
    await new Promise<void>((resolve) => deps.clock.setTimer(20, resolve));
  }
}
