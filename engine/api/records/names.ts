/**
 * Command names of the records part of the contract: producing records (one at a
 * time, or a load generator), browsing them (rows of a view, seeking, one record in
 * full), and the engine-side jobs over them (filter, export, import). Kept free of zod
 * so the Electron preload can bundle it cheaply.
 */
export const RECORDS_COMMAND_NAMES = [
  // producing
  'produce',
  'partitionForKey',
  'startLoad',
  'stopLoad',
  // browsing
  'browseRows',
  'browseSeek',
  'readRecord',
  // engine-side jobs: filter, export, import
  'filterStart',
  'filterPage',
  'exportStart',
  'importStart',
  'importChunk',
  'cancelJob',
] as const;
