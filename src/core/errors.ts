/** Exit codes (sysexits-style), documented in the README. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  /** sysexits DATAERR: a row stored in the database is wrong (written by an older version or by hand); that row is refused, named. */
  DataError: 65,
  Unavailable: 69,
  Internal: 70,
  TempFail: 75,
  /** Stopped by SIGINT/SIGTERM before it finished (128 + SIGINT, as a shell reports a process Ctrl-C ended); nothing was written. */
  Interrupted: 130,
  /** sysexits NOPERM: the acting user may not do this (users and roles); nothing was written. */
  NoPermission: 77,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | "USAGE"
  | "NOT_FOUND"
  | "INVALID_PAYLOAD"
  | "UNKNOWN_JOB_TYPE"
  | "CONFIG"
  | "DB_INVALID"
  | "DB_NEWER"
  | "DB_BUSY"
  | "MIGRATION"
  | "UNAVAILABLE"
  | "NO_PERMISSION"
  | "DATA"
  | "FAILED";

/** An expected error: printed as one line (plus an optional hint), exits with `exitCode`. */
export class LeadjobsError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  constructor(message: string, code: ErrorCode, opts: { exitCode?: ExitCodeValue; cause?: unknown; hint?: string } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.Failure;
    this.hint = opts.hint;
  }
}

/** Bad input: nothing was written; exit 2. */
export class UsageError extends LeadjobsError {
  constructor(message: string, opts: { code?: ErrorCode; hint?: string; cause?: unknown } = {}) {
    super(message, opts.code ?? "USAGE", { exitCode: ExitCode.Usage, ...withoutCode(opts) });
  }
}

/** A row stored in the database is wrong and cannot be used (the message names it); nothing was written; exit 65. */
export class DataError extends LeadjobsError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super(message, "DATA", { exitCode: ExitCode.DataError, ...opts });
  }
}

/** A required service or program is unavailable; exit 69. */
export class UnavailableError extends LeadjobsError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, "UNAVAILABLE", { exitCode: ExitCode.Unavailable, ...opts });
  }
}

/** The acting user may not do this (users and roles): nothing was written; exit 77. */
export class PermissionError extends LeadjobsError {
  constructor(message: string, opts: { hint?: string } = {}) {
    super(message, "NO_PERMISSION", { exitCode: ExitCode.NoPermission, ...opts });
  }
}

function withoutCode(opts: { code?: ErrorCode; hint?: string; cause?: unknown }): { hint?: string; cause?: unknown } {
  const out: { hint?: string; cause?: unknown } = {};
  if (opts.hint !== undefined) out.hint = opts.hint;
  if (opts.cause !== undefined) out.cause = opts.cause;
  return out;
}

// Thrown by job handlers; the runtime decides what each means for the attempt.

/** Thrown by a handler: do not retry, the job is dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.name = "PermanentJobError";
  }
}

/** Thrown by a handler: try again after `delayMs` (e.g. a 429 with Retry-After); does not use up an attempt. */
export class RetryLaterError extends Error {
  readonly delayMs: number;
  constructor(message: string, delayMs: number, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.name = "RetryLaterError";
    this.delayMs = delayMs;
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
