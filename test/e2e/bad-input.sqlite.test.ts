import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const oneLine = (text: string) => text.trim().split("\n").length === 1;

// What only SQLite has (its file, its locks, its pragmas); the rest of bad-input.e2e.test.ts runs on both backends.
describe("bad input: one clear line and the documented exit code, nothing written", () => {
  it("a file that is not a database, a corrupt database and another app's database", async () => {
    const dir = tempDir();
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "shopping list: milk, bread, coffee\n".repeat(100));
    const r = await runCli(["status"], notes);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`leadjobs: ${notes} is not a SQLite database`);

    const corrupt = join(dir, "corrupt.db");
    await runJson(["seed", "--companies", "300"], corrupt);
    const bytes = Buffer.alloc(4096 * 8, 0x5a);
    const fd = (await import("node:fs")).openSync(corrupt, "r+");
    (await import("node:fs")).writeSync(fd, bytes, 0, bytes.length, 4096 * 2);
    (await import("node:fs")).closeSync(fd);
    const c = await runCli(["status"], corrupt);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^leadjobs: .*(corrupt|not a SQLite database)/);
    expect(oneLine(c.stderr)).toBe(true);

    const other = join(dir, "other.db");
    const raw = new BetterSqlite3(other);
    raw.exec("create table invoices (id integer primary key)");
    raw.close();
    const o = await runCli(["status"], other);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/is not a leadjobs database/);
  });

  it("a database path that is a directory or cannot be created", async () => {
    const dir = tempDir();
    for (const args of [["status"], ["jobs", "add", "noop"], ["jobs", "list"], ["process"], ["enqueue"], ["cleanup"], ["db", "info"]]) {
      const r = await runCli(args, dir);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({
        args,
        code: 2,
        stderr: `leadjobs: ${dir} is a directory, not a database file\n`,
      });
    }
    const nowhere = await runCli(["jobs", "add", "noop"], "/proc/leadjobs-nowhere/l.db");
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^leadjobs: cannot create database \/proc\/leadjobs-nowhere\/l\.db/);
  });

  it("a database locked longer than the busy timeout exits 75", async () => {
    const db = join(tempDir(), "locked.db");
    await createDb(db);
    const holder = new BetterSqlite3(db);
    holder.exec("begin immediate");
    try {
      const r = await runCli(["jobs", "add", "noop"], db, { env: { LEADJOBS_BUSY_TIMEOUT: "300ms" } });
      expect(r.code).toBe(75);
      expect(r.stderr).toMatch(/^leadjobs: database .* is locked by another process/);
      expect(r.stderr.startsWith(`leadjobs: database ${db} is locked`)).toBe(true); // the file, named
      expect(oneLine(r.stderr)).toBe(true);
    } finally {
      holder.exec("rollback");
      holder.close();
    }
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([]);
  });

  it("cleanup checks the file with SQLite's quick_check: damage in pages no query reads exits 1, and status --check reports it", async () => {
    const db = join(tempDir(), "l.db");
    await createDb(db);
    const raw = new BetterSqlite3(db);
    raw.exec("create table scratch(x text)");
    const insert = raw.prepare("insert into scratch values (?)");
    for (let i = 0; i < 500; i++) insert.run(`row ${i} ${"-".repeat(60)}`);
    raw.pragma("wal_checkpoint(TRUNCATE)");
    const pageSize = raw.pragma("page_size", { simple: true }) as number;
    const rootPage = (raw.prepare("select rootpage from sqlite_master where name = 'scratch'").get() as { rootpage: number }).rootpage;
    raw.close();
    const sound = await runCli(["cleanup", "--json"], db);
    expect(sound.code).toBe(0);
    expect(JSON.parse(sound.stdout).check).toEqual({ problems: [] });
    // The last leaf page of the scratch table: its first free block points past the page's end.
    const bytes = readFileSync(db);
    let leaf = -1;
    for (let p = bytes.length / pageSize - 1; p >= rootPage - 1 && leaf < 0; p--) if (bytes[p * pageSize] === 0x0d) leaf = p;
    bytes.writeUInt16BE(0xfff0, leaf * pageSize + 1);
    writeFileSync(db, bytes);
    expect((await runCli(["status", "--check"], db)).stdout).not.toMatch(/damaged/); // status reads the nightly check's record
    const damaged =
      /the database file is damaged \(PRAGMA quick_check: .*free space corruption.*\): stop cron's leadjobs runs and restore .*l\.db from a backup/;
    const cleanup = await runCli(["cleanup"], db);
    expect(cleanup.code).toBe(1);
    expect(cleanup.stderr).toMatch(damaged);
    for (const args of [
      ["status", "--check"],
      ["status", "--check", "--verbose"],
    ]) {
      const r = await runCli(args, db);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(damaged);
    }
  });

  it("a zero-length database file is refused: exit 2, left as it is", async () => {
    const db = join(tempDir(), "q.db");
    writeFileSync(db, "");
    const r = await runCli(["status", "--check"], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^leadjobs: .*q\.db is an empty file, not a leadjobs database \(a truncated copy\?\): restore it from a backup, or delete it to start a new database\n$/,
    );
    expect(statSync(db).size).toBe(0);
  });
});
