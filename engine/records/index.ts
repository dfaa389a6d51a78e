/** The records service: what the composition root and other services may use of it. */
export { RecordsService, type RecordsDeps } from './service';
