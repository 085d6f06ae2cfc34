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

  it("a -shm file left read-only by a read-only episode gets the database file's mode back", async () => {
    const path = join(tempDir(), "q.db");
    await (await open(path)).close();
    writeFileSync(`${path}-shm`, "", { mode: 0o444 });
    // The repair runs before SQLite opens the file. It is checked on its own here: reopening the
    // database in this same process over a replaced -shm makes SQLite's shared-memory map fault
    // (SIGBUS), which no separate leadjobs process ever meets.
    await prepareDatabaseFile(path, {});
    expect(statSync(`${path}-shm`).mode & 0o777).toBe(0o600);
  });
});
