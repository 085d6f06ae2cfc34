// Kept free of pg and kysely, like sqlite-errors.ts: the CLI maps errors without loading them.
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";

let opened: { display: string; role: string } | undefined;

/** Remembers the server this process connected to, so later errors can name it (without the password). */
export function rememberPostgres(display: string, role: string): void {
  opened = { display, role };
}

/** Network errors and server states in which trying again later is the answer (exit 75). */
const RETRY_LATER_NET = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN"]);
const RETRY_LATER_SQLSTATE = new Set(["57P01", "57P02", "57P03", "53300", "40P01"]);

/**
 * Turns the PostgreSQL errors an operator can cause (server down or restarting, wrong password,
 * missing grants, no such database) into one clear line and the documented exit code. Messages
 * name the server by its display URL, never with the password.
 */
export function mapPostgresError(e: unknown): unknown {
  if (e instanceof LeadjobsError || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  const where = opened ? `PostgreSQL at ${opened.display}` : "PostgreSQL";
  const role = opened?.role ?? "the role";
  const lost = /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message);
  if ((typeof code === "string" && (RETRY_LATER_NET.has(code) || RETRY_LATER_SQLSTATE.has(code) || code.startsWith("08"))) || lost) {
    return new LeadjobsError(`${where} is unreachable (${code ?? e.message}); try again later`, "UNAVAILABLE", {
      exitCode: ExitCode.TempFail,
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
  if (code === "53100") return new LeadjobsError(`${where}: disk full`, "FAILED", { exitCode: ExitCode.TempFail, cause: e });
  return e;
}
