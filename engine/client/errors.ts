/**
 * The errors the Kafka client raises. Every error says what happened and, where a
 * person can do something about it, what to do next.
 *
 *   KafkaClientError        base class; `retriable` tells retry loops whether trying the
 *                           same thing again (after a metadata refresh) may succeed.
 *   ConnectionError         a TCP connection to one broker address failed or dropped;
 *                           carries the address and the system error code (ECONNREFUSED…).
 *   RequestTimeoutError     no response within the request timeout (the connection is
 *                           closed afterwards: Kafka answers in order, so a lost answer
 *                           poisons the connection).
 *   KafkaProtocolError      the broker answered with a Kafka error code.
 *   UnsupportedApiError     the broker does not implement an API (or no version both
 *                           sides speak).
 *   ClientClosedError       the client (or a connection) was closed while work was pending.
 *   ClientTimeoutError      a client-side deadline passed (metadata wait, delivery timeout).
 *
 * Kafka error codes are read by name (ErrorCode.NONE, …), never as numbers; the one
 * set of coordinator errors (look the coordinator up again) is `isCoordinatorError`.
 *
 * Invariant: `retriable` is true only where a retry can succeed without the caller
 * changing anything (Kafka's RetriableException set, plus network failures).
 */
import { ErrorCode, errorInfo, errorName } from '../protocol/errors';

export class KafkaClientError extends Error {
  override name = 'KafkaClientError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A hint a person can act on for a failed connection to `address`. */
function connectionHint(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return ' Is the workbench running? Start it with npm start, or npm run serve.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return ' Check the host name in --bootstrap-server (for the workbench it is localhost or 127.0.0.1).';
    case 'ETIMEDOUT':
      return ' The broker did not answer the connection; check the address and that nothing blocks the port.';
    default:
      return '';
  }
}

export class ConnectionError extends KafkaClientError {
  override name = 'ConnectionError';
  constructor(
    readonly address: string,
    readonly code: string | undefined,
    what: 'connect' | 'lost' | 'closed',
    options?: { cause?: unknown },
  ) {
    super(
      what === 'connect'
        ? `Could not connect to ${address}${code ? ` (${code})` : ''}.${connectionHint(code)}`
        : what === 'lost'
          ? `Connection to ${address} was lost${code ? ` (${code})` : ''}; the broker may have stopped or restarted.`
          : `Connection to ${address} was closed.`,
      true,
      options,
    );
  }
}

export class RequestTimeoutError extends KafkaClientError {
  override name = 'RequestTimeoutError';
  constructor(
    readonly address: string,
    readonly apiName: string,
    readonly timeoutMs: number,
  ) {
    super(`${apiName} request to ${address} got no response within ${timeoutMs} ms (request.timeout.ms).`, true);
  }
}

export class KafkaProtocolError extends KafkaClientError {
  override name = 'KafkaProtocolError';
  readonly errorName: string;
  /** The broker's message, else Kafka's description of the code: what Kafka's exception would say. */
  readonly text: string;
  constructor(
    readonly code: number,
    /** The broker's own message, when it sent one. */
    readonly brokerMessage: string | null = null,
    context = '',
  ) {
    const info = errorInfo(code);
    const text = brokerMessage !== null && brokerMessage !== '' ? brokerMessage : (info?.description ?? `Unknown error code ${code}.`);
    super(`${context ? `${context}: ` : ''}${text} (${errorName(code)})`, info?.retriable ?? false);
    this.errorName = errorName(code);
    this.text = text;
  }
}

export class UnsupportedApiError extends KafkaClientError {
  override name = 'UnsupportedApiError';
  constructor(
    readonly address: string,
    readonly apiName: string,
    detail: string,
  ) {
    super(`The broker at ${address} does not support ${apiName}: ${detail}. Is it a Kafka broker of version 2.x or later?`, false);
  }
}

export class ClientClosedError extends KafkaClientError {
  override name = 'ClientClosedError';
  constructor(what: string) {
    super(`${what} was closed before the operation completed.`, false);
  }
}

export class ClientTimeoutError extends KafkaClientError {
  override name = 'ClientTimeoutError';
  constructor(message: string) {
    super(message, false);
  }
}

/** The errors after which a client finds the group's coordinator again (and retries). */
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);

/** Whether `code` says the coordinator moved or is not ready: look it up again. */
export function isCoordinatorError(code: number): boolean {
  return COORDINATOR_ERRORS.has(code);
}

/** Throws a KafkaProtocolError when `code` is not NONE. */
export function throwIfError(code: number, brokerMessage: string | null | undefined, context: string): void {
  if (code !== ErrorCode.NONE) throw new KafkaProtocolError(code, brokerMessage ?? null, context);
}

/** Whether retrying `err` may succeed. */
export function isRetriableError(err: unknown): boolean {
  return err instanceof KafkaClientError && err.retriable;
}
