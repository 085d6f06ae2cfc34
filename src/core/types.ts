/**
 * Terminology
 * - job: one unit of work of a job type (name + validated JSON payload + handler), stored in `job`.
 * - attempt: one claim of a job by a worker, kept in `job_attempt` whatever its outcome.
 * - lease: a claimed job's owner (`host:pid`), expiry and fencing token; renewed while it runs.
 * - worker: a `leadjobs process` run (or a direct command) executing jobs.
 * - dead: a job that used its last attempt or failed permanently; kept and retryable by hand.
 * - schedule / batch / lead / alert: added by their features; see their modules.
 */

/** The logging surface core code may use; the CLI passes a consola instance. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  withTag(tag: string): Logger;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  withTag: () => silentLogger,
};

/** The injected clock (ms since epoch). */
export type Clock = () => number;

/** Injected randomness in [0, 1). */
export type Random = () => number;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
