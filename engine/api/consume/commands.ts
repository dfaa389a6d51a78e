/**
 * The "consume" part of the contract: argument schemas, result types and the snapshot
 * section for reading and consuming. Merged into the one contract by contract.ts.
 */
import type { z } from 'zod';

export const consumeSchemas = {} satisfies Record<string, z.ZodType>;

export interface ConsumeResults {}

/** Consume's part of every cluster snapshot. */
export interface ConsumeSnapshot {}
