// Kept free of kysely so the CLI entry can map errors without loading the query builder.
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";
import { isDirectory } from "../util/is-directory.ts";

let openedPath: string | undefined;

/** Remembers the database this process opened, so errors its later queries raise can name it. */
export function rememberDatabasePath(path: string): void {
  openedPath = path;
}

/** Turns the SQLite errors a user can cause into one clear line and the documented exit code. */
export function mapSqliteError(e: unknown, path: string | undefined = openedPath): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return e;
  const db = path === undefined ? "the database" : `database ${path}`;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new LeadjobsError(`${db} is locked by another process (busy timeout exceeded); try again later`, "DB_BUSY", {
      exitCode: ExitCode.TempFail,
      cause: e,
    });
  }
  if (code === "SQLITE_NOTADB")
    return new UsageError(`${path ?? "the database file"} is not a SQLite database`, { code: "DB_INVALID", cause: e });
  if (code.startsWith("SQLITE_CORRUPT")) return new UsageError(`${db} is corrupt (${code})`, { code: "DB_INVALID", cause: e });
  if (code.startsWith("SQLITE_CANTOPEN"))
    return new UsageError(path !== undefined && isDirectory(path) ? `${path} is a directory, not a database file` : `cannot open ${db}`, {
      code: "DB_INVALID",
      cause: e,
    });
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM") || code.startsWith("SQLITE_AUTH")) {
    const files = path
      ? `: make ${path}, ${path}-wal and ${path}-shm writable by this user (when no leadjobs process is running, ${path}-shm may be deleted; never ${path}-wal)`
      : "";
    return new UsageError(`${db} is not writable (${code})${files}`, { code: "DB_INVALID", cause: e });
  }
  if (code.startsWith("SQLITE_FULL")) return new LeadjobsError(`${db}: disk full`, "FAILED", { exitCode: ExitCode.TempFail, cause: e });
  return e;
}
