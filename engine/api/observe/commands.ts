/**
 * The "observe" part of the contract: argument schemas, result types and the snapshot
 * section for watching the cluster work. Merged into the one contract by contract.ts.
 */
import type { z } from 'zod';

export const observeSchemas = {} satisfies Record<string, z.ZodType>;

export interface ObserveResults {}

/** Observe's part of every cluster snapshot. */
export interface ObserveSnapshot {}
