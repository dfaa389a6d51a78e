/**
 * The contract as the store reaches it. Only store slices call `api()`: views and
 * components read the store and call its actions, so every call to the engine (and
 * what is kept of its answer) is in one place per domain.
 */
import type { WorkbenchApi } from '../../../engine/api/contract';

let apiRef: WorkbenchApi | null = null;

/** The contract, once `bindApi` has been called at startup. */
export function api(): WorkbenchApi {
  if (!apiRef) throw new Error('the store is used before the API is bound');
  return apiRef;
}

export function bindApi(a: WorkbenchApi): void {
  apiRef = a;
}
