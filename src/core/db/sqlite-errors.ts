// Kept free of kysely so the CLI entry can map errors without loading the query builder.
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";
import { accessSync, constants } from "node:fs";
import { dirname } from "node:path";
import { isDirectory } from "../util/is-directory.ts";

let openedPath: string | undefined;

/** Remembers the database this process opened, so errors its later queries raise can name it. */
export function rememberDatabasePath(path: string): void {
  openedPath = path;
}

/**
 * Why SQLite could not open the file, as the file system tells it: `: REASON`, or "" when it does
 * not say. SQLite needs to write the file, and its -wal and -shm beside it, in the file's folder.
 */
function whyNot(path: string | undefined): string {
  if (path === undefined || path === ":memory:") return "";
  if (readOnlyFileSystem(path)) return `: ${dirname(path)} is on a read-only file system (mount it read-write to write)`;
  for (const [file, mode, what] of [
    [path, constants.R_OK, "readable"],
    [path, constants.W_OK, "writable"],
    [dirname(path), constants.W_OK, "writable (SQLite creates the -wal and -shm files there)"],
  ] as const) {
    try {
      accessSync(file, mode);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EPERM") return `: ${file} is not ${what} by this user`;
      if (code === "ENOENT") return `: ${file} does not exist`;
    }
  }
  return "";
}

function readOnlyFileSystem(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EROFS";
  }
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
    return new UsageError(
      path !== undefined && isDirectory(path) ? `${path} is a directory, not a database file` : `cannot open ${db}${whyNot(path)}`,
      { code: "DB_INVALID", cause: e },
    );
  if (code.startsWith("SQLITE_READONLY") && path !== undefined && readOnlyFileSystem(path)) {
    return new UsageError(`${db} is on a read-only file system: only commands that read can use it (mount it read-write to write)`, {
      code: "DB_INVALID",
      cause: e,
    });
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM") || code.startsWith("SQLITE_AUTH")) {
    const files = path
      ? `: make ${path}, ${path}-wal and ${path}-shm writable by this user (when no leadjobs process is running, ${path}-shm may be deleted; never ${path}-wal)`
      : "";
    return new UsageError(`${db} is not writable (${code})${files}`, { code: "DB_INVALID", cause: e });
  }
  if (code.startsWith("SQLITE_FULL")) return new LeadjobsError(`${db}: disk full`, "FAILED", { exitCode: ExitCode.TempFail, cause: e });
  return e;
}
