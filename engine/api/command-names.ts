/**
 * The contract's command names, domain by domain, on their own so that the Electron
 * preload can expose exactly one bridge method per command without bundling the
 * argument schemas. Each domain keeps its list beside its schemas
 * (api/<domain>/names.ts); contract.ts checks at compile time that the schemas and
 * result types cover exactly this list.
 *
 * Adding a domain: its names here, its schemas and results in contract.ts, its
 * service in engine.ts (DEVELOPERS.md, "Adding a domain").
 */
import { BROKERS_COMMAND_NAMES } from './brokers/names';
import { GROUPS_COMMAND_NAMES } from './groups/names';
import { LESSONS_COMMAND_NAMES } from './lessons/names';
import { METRICS_COMMAND_NAMES } from './metrics/names';
import { RECORDS_COMMAND_NAMES } from './records/names';
import { TOPICS_COMMAND_NAMES } from './topics/names';

export const COMMAND_NAMES = [
  ...BROKERS_COMMAND_NAMES,
  ...TOPICS_COMMAND_NAMES,
  ...RECORDS_COMMAND_NAMES,
  ...GROUPS_COMMAND_NAMES,
  ...METRICS_COMMAND_NAMES,
  ...LESSONS_COMMAND_NAMES,
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
