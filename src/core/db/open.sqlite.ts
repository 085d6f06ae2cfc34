// SQLite-specific: opening the database file with the raw better-sqlite3 handle (pragmas and the
// migrations check), without Kysely: connection.sqlite.ts wraps it, and the idle fast path
// (src/fast.ts) uses it alone, so a cron start that finds nothing to do never loads Kysely.
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, linkSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { LeadjobsError, UsageError } from "../errors.ts";
import { makeDirsSync } from "../util/make-dirs.ts";
import { processExists } from "../util/process-exists.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migrate } from "./migrate.sqlite.ts";
import { newSqlite } from "./sqlite-driver.ts";
import { mapSqliteError, rememberDatabasePath } from "./sqlite-errors.ts";

export interface OpenSqliteOptions {
  busyTimeoutMs: number;
  migrationsDir?: string | undefined;
}

/**
 * Makes the file ready to open: a command that only reads (`mustExist`) never creates one; a new
 * database appears whole (createDatabase); an empty file is refused; `-wal` and `-shm` files left
 * read-only are made writable again.
 */
export async function prepareDatabaseFile(path: string, o: OpenSqliteOptions & { mustExist?: boolean | undefined }): Promise<void> {
  if (path === ":memory:") return;
  if (o.mustExist) assertDatabaseFile(path);
  else {
    removeAbandonedNewFiles(path);
    if (!existsSync(path)) createDatabase(path, o);
  }
  await refuseEmptyFile(path);
  restoreSideFileModes(path);
}

/**
 * Opens and migrates the database file (prepareDatabaseFile first).
 * WAL, synchronous=NORMAL (survives a process crash), foreign keys on, a busy timeout.
 */
export function openSqlite(path: string, opts: OpenSqliteOptions & { name?: string }): BetterSqlite3.Database {
  const name = opts.name ?? path; // what messages call it
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = newSqlite(path);
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
    sqlite.prepare("select count(*) from sqlite_master").get(); // NOTADB / CORRUPT surface here
    if (path !== ":memory:" && sqlite.pragma("journal_mode", { simple: true }) !== "wal") {
      sqlite.pragma("journal_mode = wal");
    }
    sqlite.pragma("synchronous = normal");
    sqlite.pragma("foreign_keys = on");
    migrate(sqlite, readMigrations(opts.migrationsDir ?? findMigrationsDir()), name);
  } catch (e) {
    sqlite?.close();
    throw mapSqliteError(e, name);
  }
  rememberDatabasePath(name);
  return sqlite;
}

/**
 * Makes a new database under a temporary name beside `path`, migrated and closed, then gives it
 * its name: a command killed while it creates the database (cron's first run) leaves no empty or
 * half-migrated file that every later run would refuse. The name is given by a hard link, which
 * fails if the file exists, so of two first runs at once the second opens the first's database.
 */
function createDatabase(path: string, o: OpenSqliteOptions): void {
  const dir = dirname(path);
  try {
    makeDirsSync(dir, 0o700);
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.new`);
    closeSync(openSync(temp, "wx", 0o600)); // SQLite gives -wal and -shm the same mode
    try {
      openSqlite(temp, { ...o, name: path }).close(); // the last close checkpoints and removes the -wal
      giveName(temp, path);
    } finally {
      for (const f of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]) rmSync(f, { force: true });
    }
  } catch (e) {
    if (e instanceof LeadjobsError) throw e;
    throw new UsageError(`cannot create database ${path}: ${(e as Error).message}`, { code: "DB_INVALID", cause: e });
  }
}

function giveName(temp: string, path: string): void {
  try {
    linkSync(temp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return; // another first run named its database first: that one is used
    // A file system without hard links (FAT on a USB stick): a rename, unless the file appeared.
    if ((code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") && !existsSync(path)) renameSync(temp, path);
    else throw e;
  }
}

/**
 * The temporary files of creations whose process was killed (`.<name>.<pid>.<hex>.new`, and their
 * -wal, -shm or -journal): before it gave the database its name, or just after.
 */
function removeAbandonedNewFiles(path: string): void {
  const prefix = `.${basename(path)}.`;
  try {
    for (const f of readdirSync(dirname(path))) {
      const m = f.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.new(-wal|-shm|-journal)?$/.exec(f.slice(prefix.length)) : null;
      if (m && !processExists(Number(m[1]))) rmSync(join(dirname(path), f), { force: true });
    }
  } catch {
    // no directory yet, or one we may not change: nothing of ours to remove
  }
}

/** A command that only reads never creates a database: a missing file is exit 2 (an empty one is refused after). */
function assertDatabaseFile(path: string): void {
  try {
    statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT" && (e as NodeJS.ErrnoException).code !== "ENOTDIR") return;
    throw new UsageError(`no database at ${path}`, {
      code: "NOT_FOUND",
      hint: "check --db or LEADJOBS_DB; commands that only read never create one",
    });
  }
}

/**
 * A zero-length file is not a new database (leadjobs never leaves one: see createDatabase): it is
 * a truncated one (a failed copy, `: > file`). One made by an older leadjobs that is creating it
 * right now gets its first page within milliseconds, so an empty file is given a moment first.
 */
async function refuseEmptyFile(path: string): Promise<void> {
  for (let waited = 0; statSync(path).size === 0; waited += 50) {
    if (waited >= 2000) {
      throw new UsageError(
        `${path} is an empty file, not a leadjobs database (a truncated copy?): restore it from a backup, or delete it to start a new database`,
        { code: "DB_INVALID" },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * SQLite creates `-wal` and `-shm` with the database file's mode, so a database that was read-only
 * once (0444) leaves read-only side files that keep it read-only after `chmod 0600`. Give them the
 * owner's write permission back when the database file itself is writable.
 */
function restoreSideFileModes(path: string): void {
  for (const side of [`${path}-wal`, `${path}-shm`]) {
    try {
      const db = statSync(path);
      const file = statSync(side);
      if ((db.mode & 0o200) !== 0 && (file.mode & 0o200) === 0 && file.uid === db.uid) chmodSync(side, db.mode & 0o777);
    } catch {
      // none (or not ours to change): SQLite reports what it cannot open
    }
  }
}
