/**
 * Argument schemas that several parts of the contract share: a topic name (Kafka's
 * rules, from cluster/topic-names.ts), a partition, a record header, a group id.
 *
 * Each domain's part of the contract (api/<domain>/commands.ts) builds its schemas
 * from these, so a topic name is refused with the same sentence whichever command
 * carries it.
 */
import { z } from 'zod';
import { topicNameError } from '../cluster/topic-names';

export const topicNameSchema = z.string({ error: 'Topic name must be text.' }).superRefine((name, ctx) => {
  const error = topicNameError(name);
  if (error) ctx.addIssue({ code: 'custom', message: error });
});

export const partitionSchema = z.number({ error: 'Partition must be a number.' }).int('Partition must be a whole number.').min(0, 'Partition cannot be negative.');

export const headerSchema = z.object({ key: z.string().max(32_768), value: z.string().nullable() }).strict();

export const groupIdSchema = z.string({ error: 'Group id must be text.' }).min(1, 'Group id cannot be empty.').max(255, 'Group ids are at most 255 characters.');

/** Checked for range by the engine (OFFSET_OUT_OF_RANGE with the partition's real range). */
export const offsetNumberSchema = z.number({ error: 'Offset must be a number.' });

/** Checked for range by the engine (INVALID_TIMESTAMP). */
export const timestampNumberSchema = z.number({ error: 'Timestamp must be a number of milliseconds since 1970.' });
