/**
 * Invariant checks that stay on in production.
 *
 * An `InvariantError` means the engine's own state is wrong (a bug), never that a
 * user or client sent something bad: bad input gets a `WorkbenchError` (engine/api)
 * or a Kafka error code, and changes nothing.
 */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new InvariantError(typeof message === 'function' ? message() : message);
  }
}

export function unreachable(value: never, what: string): never {
  throw new InvariantError(`unreachable: unexpected ${what}: ${String(value)}`);
}
