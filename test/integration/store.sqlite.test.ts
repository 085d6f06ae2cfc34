import { prepareDatabaseFile } from "../../src/core/db/open.sqlite.ts";
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openStore, type SqliteStore } from "../../src/core/db/connection.ts";
import { dialectOf } from "../../src/core/db/dialect.ts";
import { immediate } from "../../src/core/db/handle.ts";
import { findMigrationsDir } from "../../src/core/db/migrate.ts";
import { LeadjobsError } from "../../src/core/errors.ts";
import { tempDir, testSqliteStore } from "../helpers/store.ts";

const open = (path: string, migrationsDir?: string) =>
  openStore(path, { busyTimeoutMs: 1000, ...(migrationsDir ? { migrationsDir } : {}) }) as Promise<SqliteStore>;

describe("the store", () => {
  it("creates the file with mode 0600 (and its directory), in WAL mode with foreign keys on", async () => {
    const dir = tempDir();
    const path = join(dir, "nested", "deeper", "leadjobs.db");
    const store = await open(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(store.sqlite.pragma("busy_timeout", { simple: true })).toBe(1000);
    await store.close();
  });

  it("closes its file even when no query ran through Kysely: the last close checkpoints and removes the -wal", async () => {
    const path = join(tempDir(), "c.db");
    const store = await open(path); // a new file: the migrations' writes are in the -wal
    expect(existsSync(`${path}-wal`)).toBe(true);
    store.sqlite.prepare("insert into job (type, run_at, created_at, updated_at) values ('noop', 'x', 'x', 'x')").run();
    await store.close();
    expect(store.sqlite.open).toBe(false);
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = await open(path);
    expect(again.sqlite.prepare("select count(*) from job").pluck().get()).toBe(1);
    await again.close();
  });

  it("knows its dialect, from the store and from any handle of it", async () => {
    const store = await open(join(tempDir(), "d.db"));
    expect(store.dialect).toBe("sqlite");
    expect(dialectOf(store.db)).toBe("sqlite");
    expect(await immediate(store.db, async (trx) => dialectOf(trx))).toBe("sqlite");
    await store.close();
  });

  it("records every migration and changes nothing when opened again", async () => {
    const dir = tempDir();
    const path = join(dir, "a.db");
    const first = await open(path);
    const applied = first.sqlite.prepare("select name from schema_migration order by name").pluck().all();
    const schema = first.sqlite.prepare("select sql from sqlite_master order by name").pluck().all();
    await first.close();
    expect(applied).toEqual(
      readdirSync(findMigrationsDir())
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((f) => f.slice(0, -4)),
    );
    const again = await open(path);
    expect(again.sqlite.prepare("select sql from sqlite_master order by name").pluck().all()).toEqual(schema);
    expect(again.sqlite.prepare("select count(*) from schema_migration").pluck().get()).toBe(applied.length);
    await again.close();
  });

  it("applies a failing migration atomically: nothing of it is left behind", async () => {
    const dir = tempDir();
    const migrations = join(dir, "migrations");
    mkdirSync(migrations);
    for (const f of readdirSync(findMigrationsDir())) copyFileSync(join(findMigrationsDir(), f), join(migrations, f));
    writeFileSync(join(migrations, "9000_broken.sql"), "create table half_done (id integer);\ncreate table broken (;\n");
    const path = join(dir, "b.db");
    await expect(open(path, migrations)).rejects.toThrow(/migration 9000_broken failed/);
    const raw = new BetterSqlite3(path);
    const tables = raw.prepare("select name from sqlite_master where type = 'table'").pluck().all();
    raw.close();
    expect(tables).not.toContain("half_done");
    expect(tables).not.toContain("job"); // all pending migrations run in one transaction
  });

  it("refuses a migration that leaves rows referring to nothing, and opens a file that already held some", async () => {
    const dir = tempDir();
    const migrations = migrationsWith(
      dir,
      "9000_orphan.sql",
      "insert into job_attempt (job_id, attempt, token, worker, started_at) values (4242, 1, 1, 'h:1', 'x');\n",
    );
    const path = join(dir, "o.db");
    await expect(open(path, migrations)).rejects.toThrow(
      /migration .*9000_orphan failed: it left rows referring to rows that do not exist/,
    );
    const raw = new BetterSqlite3(path);
    expect(raw.prepare("select name from sqlite_master where type = 'table'").pluck().all()).not.toContain("job");
    raw.close();

    // A file edited with foreign keys off (the sqlite3 shell's default) may hold such rows already.
    const edited = join(dir, "edited.db");
    await (await open(edited)).close();
    const shell = new BetterSqlite3(edited);
    shell.pragma("foreign_keys = off");
    shell.prepare("insert into job_attempt (job_id, attempt, token, worker, started_at) values (4242, 1, 1, 'h:1', 'x')").run();
    shell.close();
    const upgraded = await open(edited, migrationsWith(dir, "9001_harmless.sql", "create table harmless (id integer primary key);\n"));
    expect(upgraded.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(upgraded.sqlite.prepare("select count(*) from job_attempt").pluck().get()).toBe(1);
    await upgraded.close();
  });

  it("refuses a database written by a newer leadjobs and does not touch it", async () => {
    const dir = tempDir();
    const path = join(dir, "newer.db");
    await (await open(path)).close();
    const raw = new BetterSqlite3(path);
    raw.prepare("insert into schema_migration (name, applied_at) values ('9999_from_the_future', 'x')").run();
    raw.close();
    const before = statSync(path).mtimeMs;
    const err = await open(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeadjobsError);
    expect((err as LeadjobsError).message).toMatch(/newer leadjobs.*9999_from_the_future.*not modified/);
    expect((err as LeadjobsError).exitCode).toBe(2);
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it("refuses another application's database and a file that is not a database", async () => {
    const dir = tempDir();
    const other = join(dir, "other.db");
    const raw = new BetterSqlite3(other);
    raw.exec("create table customers (id integer primary key)");
    raw.close();
    await expect(open(other)).rejects.toThrow(/is not a leadjobs database/);
    const text = join(dir, "notes.db");
    writeFileSync(text, "this is not a database, just some notes that happen to be long enough to look like a header".repeat(20));
    const err = await open(text).catch((e: unknown) => e);
    expect((err as LeadjobsError).exitCode).toBe(2);
    expect((err as LeadjobsError).message).toMatch(/not a SQLite database/);
  });

  it("opens a store for the tests", async () => {
    const store = await testSqliteStore();
    expect(await store.db.selectFrom("job").selectAll().execute()).toEqual([]);
  });
});

describe("the queue's tables", () => {
  // SQLite checks `x in (a, b, c)` in a CHECK or a partial index's condition by building a table
  // of the list for every row written (OpenEphemeral): a quarter of an enqueue's insert.
  it("check the rows a worker writes without building a table per row", async () => {
    const store = await open(join(tempDir(), "q.db"));
    const program = (text: string) => store.sqlite.prepare(`explain ${text}`).all() as Array<{ opcode: string }>;
    for (const text of [
      "insert into job (type, payload, run_at, created_at, updated_at) values ('noop', '{}', 'x', 'x', 'x')",
      "update job set state = 'running', lease_token = lease_token + 1 where id = 1",
      "update job set state = 'completed', finished_at = 'x' where id = 1",
      "insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome) values (1, 1, 1, 'h:1', 'x', 'y', 'failed')",
    ]) {
      expect(
        program(text).map((op) => op.opcode),
        text,
      ).not.toContain("OpenEphemeral");
    }
    await store.close();
  });

  it("still refuse a state or an outcome that does not exist", async () => {
    const store = await open(join(tempDir(), "r.db"));
    store.sqlite.prepare("insert into job (type, run_at, created_at, updated_at) values ('noop', 'x', 'x', 'x')").run();
    expect(() => store.sqlite.prepare("update job set state = 'paused' where id = 1").run()).toThrow(/CHECK constraint failed/);
    expect(() =>
      store.sqlite
        .prepare("insert into job_attempt (job_id, attempt, token, worker, started_at, outcome) values (1, 1, 1, 'h:1', 'x', 'done')")
        .run(),
    ).toThrow(/CHECK constraint failed/);
    await store.close();
  });

  it("keep every job, attempt and dependency when a queue is upgraded to 0030, and their cascades", async () => {
    const dir = tempDir();
    const before = join(dir, "before");
    mkdirSync(before);
    for (const f of readdirSync(findMigrationsDir()).filter((f) => f < "0030")) copyFileSync(join(findMigrationsDir(), f), join(before, f));
    const path = join(dir, "u.db");
    const old = await open(path, before);
    old.sqlite.exec(`
      insert into job (id, type, payload, state, run_at, attempts, lease_token, created_at, updated_at, finished_at, dedupe_key)
        values (1, 'noop', '{"a":1}', 'completed', 'x', 1, 1, 'x', 'y', 'y', null),
               (2, 'noop', '{}', 'pending', 'x', 1, 1, 'x', 'y', null, 'k'),
               (3, 'noop', '{}', 'pending', 'x', 0, 0, 'x', 'x', null, null);
      update job set depends_on = 2, blocked = 1 where id = 3;
      insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome, error)
        values (1, 1, 1, 'h:1', 'x', 'y', 'completed', null), (2, 1, 1, 'h:1', 'x', 'y', 'failed', 'boom');
    `);
    const rows = (s: SqliteStore) => ({
      jobs: s.sqlite.prepare("select * from job order by id").all(),
      attempts: s.sqlite.prepare("select * from job_attempt order by id").all(),
    });
    const was = rows(old);
    await old.close();

    const store = await open(path);
    expect(rows(store)).toEqual(was);
    expect(
      store.sqlite
        .prepare(
          "select count(*) from job_attempt where (outcome = 'failed' or outcome = 'timed_out' or outcome = 'lost') and finished_at >= 'a'",
        )
        .pluck()
        .get(),
    ).toBe(1);
    expect(() =>
      store.sqlite.prepare("insert into job (type, run_at, created_at, updated_at, dedupe_key) values ('noop', 'x', 'x', 'x', 'k')").run(),
    ).toThrow(/UNIQUE constraint failed/);
    store.sqlite.prepare("delete from job where id = 2").run();
    expect(store.sqlite.prepare("select job_id from job_attempt").pluck().all()).toEqual([1]);
    expect(store.sqlite.prepare("select depends_on from job where id = 3").pluck().get()).toBeNull();
    await store.close();
  });
});

describe("database files that are not what they seem", () => {
  it("a zero-length file this run did not create is refused, not migrated as new", async () => {
    const path = join(tempDir(), "empty.db");
    writeFileSync(path, "");
    const e = await open(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LeadjobsError);
    expect((e as LeadjobsError).message).toMatch(/empty\.db is an empty file, not a leadjobs database/);
    expect(statSync(path).size).toBe(0);
    const fresh = await open(join(tempDir(), "new.db")); // a file this run creates is fine
    await fresh.close();
  });

  it("-wal and -shm files left read-only by a read-only episode get the database file's mode back", async () => {
    const path = join(tempDir(), "q.db");
    await (await open(path)).close();
    writeFileSync(`${path}-wal`, "", { mode: 0o444 });
    writeFileSync(`${path}-shm`, "", { mode: 0o444 });
    // The repair runs before SQLite opens the file. It is checked on its own here: reopening the
    // database in this same process over a replaced -shm makes SQLite's shared-memory map fault
    // (SIGBUS), which no separate leadjobs process ever meets.
    await prepareDatabaseFile(path, { busyTimeoutMs: 1000 });
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-shm`).mode & 0o777).toBe(0o600);
  });
});

/** A copy of the migrations folder with one more file. */
function migrationsWith(dir: string, name: string, text: string): string {
  const migrations = join(dir, `migrations-${name}`);
  mkdirSync(migrations);
  for (const f of readdirSync(findMigrationsDir())) copyFileSync(join(findMigrationsDir(), f), join(migrations, f));
  writeFileSync(join(migrations, name), text);
  return migrations;
}
