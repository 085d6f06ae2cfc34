// Kept free of pg and kysely, like sqlite-errors.ts: the CLI maps errors without loading them.
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";

/** What messages say about the server this process connects to. */
export interface PostgresTarget {
  /** The URL without its password. */
  display: string;
  role: string;
  /** The search_path the URL sets, if any. */
  schema: string | undefined;
  /** The URL's sslmode, if any. */
  sslmode: string | undefined;
}

let opened: PostgresTarget | undefined;

/** Remembers the server this process connected to, so later errors can name it (without the password). */
export function rememberPostgres(target: PostgresTarget): void {
  opened = target;
}

/** Network errors in which trying again later is the answer (exit 75), in words. */
const RETRY_LATER_NET: Record<string, string> = {
  ECONNREFUSED: "is unreachable (connection refused: is the server running?)",
  ECONNRESET: "is unreachable (the connection was reset)",
  ETIMEDOUT: "is unreachable (no answer in time)",
  EHOSTUNREACH: "is unreachable (no route to the host)",
  ENETUNREACH: "is unreachable (the network is down)",
  EPIPE: "is unreachable (the connection was closed)",
  EAI_AGAIN: "is unreachable (its host name could not be looked up)",
};

/** Server states (SQLSTATE) in which trying again later is the answer (exit 75), in words. */
const RETRY_LATER_SQLSTATE: Record<string, string> = {
  "57P01": "ended the connection (an administrator command or a server shutdown)",
  "57P02": "crashed and is restarting",
  "57P03": "is starting up or shutting down and accepts no connections yet",
  "57P05": "closed an idle connection",
  "53300": "has too many connections (the server's or the role's connection limit is reached)",
  "40P01": "broke a deadlock by cancelling this transaction",
  "40001": "cancelled this transaction after a conflict with another one",
  "08000": "lost the connection",
  "08003": "lost the connection",
  "08006": "lost the connection",
  "08001": "could not be connected to",
  "08004": "refused the connection",
};

/** TLS errors of a server whose certificate cannot be verified (sslmode=verify-full). */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/**
 * Turns the PostgreSQL errors an operator can cause (server down or restarting, wrong password,
 * missing grants, no such database or schema, a lock held elsewhere) into one clear line and the
 * documented exit code. Messages name the server by its display URL, never with the password.
 */
export function mapPostgresError(e: unknown): unknown {
  if (e instanceof LeadjobsError || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  const where = opened ? `PostgreSQL at ${opened.display}` : "PostgreSQL";
  const role = opened?.role ?? "the role";
  const later = (what: string, errorCode: "UNAVAILABLE" | "DB_BUSY" = "UNAVAILABLE") =>
    new LeadjobsError(`${where} ${what}; try again later`, errorCode, { exitCode: ExitCode.TempFail, cause: e });
  if (typeof code === "string" && code in RETRY_LATER_NET) return later(RETRY_LATER_NET[code] as string);
  if (typeof code === "string" && code in RETRY_LATER_SQLSTATE) return later(RETRY_LATER_SQLSTATE[code] as string);
  if (code === "55P03") return later("is locked by another process (lock timeout exceeded)", "DB_BUSY");
  if (typeof code === "string" && code.startsWith("08")) return later(`lost the connection (${e.message})`);
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message))
    return later(`is unreachable (${e.message})`);
  if (/server does not support SSL/i.test(e.message)) {
    return new UsageError(`${where} does not support SSL connections, which the URL requires (sslmode=${opened?.sslmode ?? "require"})`, {
      code: "DB_INVALID",
      hint: "remove sslmode from the URL or set sslmode=prefer or disable, or turn ssl on in the server's postgresql.conf",
      cause: e,
    });
  }
  if (typeof code === "string" && CERTIFICATE.test(code)) {
    return new UsageError(`${where}: the server's SSL certificate cannot be verified (${e.message})`, {
      code: "DB_INVALID",
      hint: "name its CA with sslrootcert=FILE in the URL",
      cause: e,
    });
  }
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return e;
  if (code === "28P01" || code === "28000") {
    return new UsageError(`${where}: authentication failed for role "${role}"`, {
      code: "DB_INVALID",
      hint: "check the user and password in the URL (or ~/.pgpass)",
      cause: e,
    });
  }
  if (code === "42501") {
    return new UsageError(`${where}: role "${role}" lacks a permission: ${e.message}`, {
      code: "DB_INVALID",
      hint: "grant it the privileges the README's 'Growing past one machine' lists",
      cause: e,
    });
  }
  if (code === "3D000")
    return new UsageError(`${where}: ${e.message}`, { code: "NOT_FOUND", hint: "create it first (createdb)", cause: e });
  // invalid_schema_name: nothing on the search_path exists to create the tables in
  if (code === "3F000") return missingSchema(where, opened?.schema, e);
  if (code === "53100") return new LeadjobsError(`${where}: disk full`, "FAILED", { exitCode: ExitCode.TempFail, cause: e });
  if (code === "53200") return later("is out of memory");
  return e;
}

/** The URL's search_path names no schema that exists (found before anything is created). */
export function missingSchema(where: string, schema: string | undefined, cause?: unknown): UsageError {
  const named = schema ? ` (${schema})` : "";
  return new UsageError(`${where}: the schema in the URL's search_path${named} does not exist`, {
    code: "NOT_FOUND",
    hint: "create it with create schema, or correct search_path in the URL's options",
    cause,
  });
}
