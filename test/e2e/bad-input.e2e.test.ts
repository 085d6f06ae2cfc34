import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { onPostgres } from "../helpers/backend.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const oneLine = (text: string) => text.trim().split("\n").length === 1;

describe("bad input: one clear line and the documented exit code, nothing written", () => {
  it("unknown job type", async () => {
    const db = join(tempDir(), "l.db");
    const r = await runCli(["jobs", "add", "nope"], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leadjobs: unknown job type "nope" \(known types: .*noop/);
    expect(oneLine(r.stderr)).toBe(true);
    expect(existsSync(db)).toBe(false);
  });

  it("payload that fails validation, naming the field", async () => {
    const db = join(tempDir(), "l.db");
    const r = await runCli(["jobs", "add", "noop", "--payload", '{"sleepMs":"soon"}'], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid payload for noop: sleepMs: .*number/);
    expect(oneLine(r.stderr)).toBe(true);
    const unknown = await runCli(["jobs", "add", "noop", "--payload", '{"sleep":5}'], db);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unrecognized key.*sleep/i);
    expect((await runCli(["jobs", "add", "noop", "--payload", "{oops"], db)).stderr).toMatch(/--payload is not valid JSON/);
  });

  it("db.check is refused when it is added on PostgreSQL (jobs add, schedule add); on SQLite it is queued", async () => {
    const db = join(tempDir(), "l.db");
    const added = await runCli(["jobs", "add", "db.check"], db);
    const scheduled = await runCli(["schedule", "add", "--name", "check", "--type", "db.check", "--at", "03:00"], db);
    if (!onPostgres) {
      expect([added.code, scheduled.code]).toEqual([0, 0]);
      return;
    }
    const line = "leadjobs: invalid payload for db.check: it checks a SQLite database file; a PostgreSQL server checks its own pages\n";
    expect([added.code, added.stderr]).toEqual([2, line]);
    expect(scheduled.code).toBe(2);
    expect(scheduled.stderr).toContain("it checks a SQLite database file; a PostgreSQL server checks its own pages");
    expect(oneLine(scheduled.stderr)).toBe(true);
    expect((await runJson<{ jobs: unknown[] }>(["jobs", "list"], db)).jobs).toEqual([]);
    expect((await runJson<{ schedules: unknown[] }>(["schedule", "list"], db)).schedules).toEqual([]);
  });

  it("a bad --run-at or --timeout is refused before the database is created", async () => {
    const db = join(tempDir(), "l.db");
    const at = await runCli(["jobs", "add", "noop", "--run-at", "tomorrow"], db);
    expect(at).toMatchObject({ code: 2, stderr: 'leadjobs: invalid --run-at "tomorrow": write it like 500ms, 30s, 10m, 2h or 7d\n' });
    const timeout = await runCli(["jobs", "add", "noop", "--timeout", "0s"], db);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/^leadjobs: invalid --timeout "0s"/);
    expect(existsSync(db)).toBe(false);
  });

  it("impossible dates, zoneless times and durations past the calendar: exit 2, nothing written", async () => {
    const db = join(tempDir(), "l.db");
    for (const [args, why] of [
      [
        ["jobs", "add", "noop", "--run-at", "2026-02-30T00:00:00Z"],
        /^leadjobs: invalid --run-at "2026-02-30T00:00:00Z": there is no such date as 2026-02-30\n$/,
      ],
      [["jobs", "add", "noop", "--run-at", "99999999d"], /^leadjobs: invalid --run-at "99999999d": at most 36500d \(100 years\)\n$/],
      [["jobs", "add", "noop", "--run-at", "2026-03-01T08:00"], /^leadjobs: invalid --run-at "2026-03-01T08:00": give the time zone/],
      [["enqueue", "--now", "2026-02-30T00:00:00Z"], /^leadjobs: invalid --now "2026-02-30T00:00:00Z": there is no such date/],
      [["alerts", "--now", "2026-03-01T08:00:00"], /^leadjobs: invalid --now "2026-03-01T08:00:00": give the time zone/],
      [
        ["schedule", "preview", "--cron", "0 2 * * *", "--now", "0001-01-01T00:00:00Z"],
        /^leadjobs: invalid --now "0001-01-01T00:00:00Z": give a time from 1970-01-01 to 9999-12-31 \(UTC\)\n$/,
      ],
      [["enqueue", "--dry-run", "--now", "1969-12-31T23:59:59Z"], /^leadjobs: invalid --now "1969-12-31T23:59:59Z": give a time from 1970/],
    ] as const) {
      const r = await runCli([...args], db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(why);
    }
    expect(existsSync(db)).toBe(false);
  });

  it("a malformed NDJSON line rejects the whole file and enqueues nothing", async () => {
    const dir = tempDir();
    const db = join(dir, "l.db");
    await createDb(db); // create the database
    const file = join(dir, "jobs.ndjson");
    writeFileSync(file, '{"sleepMs":1}\n{"sleepMs":2}\n{"sleepMs":3\n{"sleepMs":4}\n');
    const r = await runCli(["jobs", "add", "noop", "--from", file], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`leadjobs: ${file} is not valid JSON at line 3 column 13 (it ends too early)\n`);
    const invalid = await runCli(["jobs", "add", "noop", "--from", "-"], db, { input: '{"sleepMs":1}\n\n{"failTimes":-1}\n' });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/invalid payload for noop on line 3: failTimes/);
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([]);
  });

  it("JSON that is not JSON (config file, --payload): one line with its line and column; a byte order mark is fine", async () => {
    const dir = tempDir();
    const db = join(dir, "l.db");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{\n  "concurrency": 3,\n  "lease": x\n}\n');
    const config = await runCli(["--config", bad, "jobs", "add", "noop"], db);
    expect({ code: config.code, stderr: config.stderr }).toEqual({
      code: 2,
      stderr: `leadjobs: config file ${bad} is not valid JSON at line 3 column 12\n`,
    });
    const payload = await runCli(["jobs", "add", "noop", "--payload", '{\n "sleepMs": x\n}'], db);
    expect({ code: payload.code, stderr: payload.stderr }).toEqual({
      code: 2,
      stderr: "leadjobs: --payload is not valid JSON at line 2 column 13\n",
    });
    expect(existsSync(db)).toBe(false);

    const bom = join(dir, "bom.json");
    writeFileSync(bom, '\ufeff{"concurrency":3}\n');
    const ndjson = join(dir, "bom.ndjson");
    writeFileSync(ndjson, '\ufeff{"sleepMs":1}\n');
    expect((await runJson(["--config", bom, "jobs", "add", "noop", "--from", ndjson], db)).created).toBe(1);
  });

  it("an oversized payload: one short line, exit 2, nothing written", async () => {
    const dir = tempDir();
    const db = join(dir, "l.db");
    const file = join(dir, "jobs.ndjson");
    writeFileSync(file, `${JSON.stringify({ brand: "Acme ".repeat(400_000) })}\n`);
    const long = await runCli(["jobs", "add", "brand.collect", "--from", file], db);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(
      /^leadjobs: invalid payload for brand\.collect on line 1: brand: 2000000 characters is too long \(at most 2048\): "Acme Acme /,
    );
    expect(oneLine(long.stderr)).toBe(true);
    expect(long.stderr.length).toBeLessThan(300);
    writeFileSync(file, `${JSON.stringify({ brand: "Acme", collectors: Array(20_000).fill("openai") })}\n`);
    const big = await runCli(["jobs", "add", "brand.collect", "--from", file], db);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(
      /^leadjobs: invalid payload for brand\.collect on line 1: \d+ bytes of JSON is too large \(at most 65536\)\n$/,
    );
    expect(existsSync(db)).toBe(false);
  });

  it("an empty database path (--db, LEADJOBS_DB or the config file) is refused, not replaced by the default database", async () => {
    const dir = tempDir();
    const config = join(dir, "config.json");
    writeFileSync(config, '{"db": ""}');
    const home = { HOME: dir, XDG_DATA_HOME: undefined };
    for (const [args, env, what] of [
      [["--db", "", "jobs", "list"], home, "--db"],
      [["--db", "", "status"], home, "--db"],
      [["--db=", "jobs", "add", "noop"], home, "--db"],
      [["jobs", "add", "noop"], { ...home, LEADJOBS_DB: "" }, "LEADJOBS_DB"],
      [["status"], { ...home, LEADJOBS_DB: "" }, "LEADJOBS_DB"],
      [["--config", config, "jobs", "list"], home, 'config file key "db"'],
    ] as const) {
      const r = await runCli([...args], undefined, { env });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `leadjobs: ${what} is empty\n` });
    }
    expect(existsSync(join(dir, ".local"))).toBe(false); // the default database was not created
  });

  it("unknown option and unknown command", async () => {
    const r = await runCli(["process", "--concurency", "3"], undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leadjobs: unknown option '--concurency'.*--concurrency/);
    expect(oneLine(r.stderr)).toBe(true);
    const c = await runCli(["proces"], undefined);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/unknown command 'proces'/);
  });

  it("bad option values", async () => {
    const db = join(tempDir(), "l.db");
    expect((await runCli(["process", "--max-runtime", "soon"], db)).stderr).toMatch(/invalid --max-runtime "soon"/);
    const r = await runCli(["process", "--concurrency", "0"], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid --concurrency "0": expected a whole number >= 1/);
    expect((await runCli(["jobs", "show", "abc"], db)).code).toBe(2);
    await createDb(db);
    const missing = await runCli(["jobs", "show", "42"], db);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no job with id 42/);
  });

  it("a database from a newer leadjobs is refused and left as it was", async () => {
    const db = join(tempDir(), "newer.db");
    await createDb(db);
    writeSync(db, "insert into schema_migration values ('9999_future', '2030-01-01T00:00:00.000Z')");
    const before = query(db, "select name from schema_migration order by name");
    const r = await runCli(["jobs", "add", "noop"], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/written by a newer leadjobs \(unknown migration 9999_future\); it was not modified/);
    expect(query(db, "select name from schema_migration order by name")).toEqual(before);
    expect(counts(db, ["job"])).toEqual({ job: 0 });
  });

  it("a reader that closes the pipe early (| head) is no error: no stack trace, the command's own exit code", async () => {
    const db = join(tempDir(), "pipe.db");
    await runJson(["jobs", "add", "noop"], db);
    const child = spawnCli(["jobs", "show", "1"], db);
    child.stdout?.destroy(); // like `| head -0`: every line jobs show prints meets a closed pipe
    const r = await finished(child);
    expect(r).toMatchObject({ code: 0, stderr: "" });
  });

  it("a LEADJOBS_LOG_LEVEL that is not a number does not hide the errors", async () => {
    const db = join(tempDir(), "log.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":1}', "--max-attempts", "1"], db);
    const r = await runCli(["process"], db, { env: { LEADJOBS_LOG_LEVEL: "debug" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/job 1 \(noop\) attempt 1\/1 died/);
  });

  it("help and version exit 0; no command shows help and exits 2", async () => {
    expect((await runCli(["--help"], undefined)).code).toBe(0);
    expect((await runCli(["--version"], undefined)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const none = await runCli([], undefined);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: leadjobs/);
  });
});
