import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/core/db/connection.ts";
import { type CliResult, finished, runCli, spawnCli } from "../helpers/cli.ts";

/**
 * `leadjobs db copy`: a seeded SQLite file (with jobs added and processed) copied into an empty
 * PostgreSQL database owned by a role with a password. Every row arrives (compared table by
 * table), what users see on the target is what they saw on the source, the password never
 * shows, and a refused or failed copy leaves the target as it was.
 * Needs LEADJOBS_TEST_POSTGRES=<admin url>; makes its own role and databases there and drops them.
 */
const adminUrl = process.env.LEADJOBS_TEST_POSTGRES;
const NOW = "2026-05-04T08:00:00.000Z";
const suffix = randomBytes(4).toString("hex");
const ROLE = `pgdb_copy_${suffix}`;
const PASSWORD = `pw-${randomBytes(9).toString("base64url")}`;
const TARGETS = ["main", "bad_json", "interrupt"].map((n) => `pgdb_${n}_${suffix}`);
const [MAIN, BAD_JSON, INTERRUPT] = TARGETS as [string, string, string];

let dir: string;
let source: string;
const outputs: CliResult[] = [];

function url(database: string, o: { password?: string; port?: string } = {}): string {
  const u = new URL(adminUrl ?? "postgres://localhost/postgres");
  u.username = ROLE;
  u.password = o.password ?? PASSWORD;
  if (o.port) u.port = o.port;
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** The CLI on a SQLite file or a URL (not mapped to a test database: this test picks both ends). */
async function cli(args: string[], db: string): Promise<CliResult> {
  const r = await runCli(args, undefined, { env: { LEADJOBS_DB: db } });
  outputs.push(r);
  return r;
}

async function json(args: string[], db: string): Promise<any> {
  const r = await cli([...args, "--json"], db);
  if (r.code !== 0) throw new Error(`leadjobs ${args.join(" ")} on ${db} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function rowCounts(database: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url(database) });
  await client.connect();
  try {
    const tables = (await client.query("select tablename from pg_tables where schemaname = current_schema() order by 1")).rows.map(
      (r) => r.tablename as string,
    );
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await client.query(`select count(*) as n from "${t}"`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

/** A value as users see it: instants in one ISO form, JSON text parsed (jsonb normalises spacing and key order). */
function normalise(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(v)) return new Date(v).toISOString();
  if (/^[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

/**
 * A --json document without what names the database or moves with the wall clock (a pinned
 * --now still advances in real time): `db`, `now`, report windows and durations derived from them.
 */
function userView(doc: unknown): unknown {
  if (Array.isArray(doc)) return doc.map(userView);
  if (doc === null || typeof doc !== "object") return doc;
  return Object.fromEntries(
    Object.entries(doc)
      .filter(([k]) => !["db", "now", "since", "until", "overdueMs"].includes(k))
      .map(([k, v]) => [k, userView(v)]),
  );
}

async function tableRows(store: Store, table: string, columns: string[]): Promise<unknown[]> {
  const rows = (await store.db
    .selectFrom(table as never)
    .select(columns as never[])
    .execute()) as Array<Record<string, unknown>>;
  return rows
    .map((r) => columns.map((c) => normalise(r[c])))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}

describe.skipIf(!adminUrl)("db copy: SQLite into PostgreSQL", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "leadjobs-pgdb-"));
    source = join(dir, "source.db");
    await admin(`create role ${ROLE} login password '${PASSWORD}'`);
    for (const db of TARGETS) await admin(`create database ${db} owner ${ROLE}`);
    await json(["seed", "--companies", "300", "--answers", "20", "--now", NOW], source);
    const first = await json(["jobs", "add", "noop", "--payload", '{"sleepMs":1}'], source);
    await json(["jobs", "add", "noop", "--depends-on", String(first.jobs[0].id)], source);
    await json(["jobs", "add", "noop", "--payload", '{"failTimes":5}', "--max-attempts", "1"], source);
    await json(["jobs", "add", "noop", "--run-at", "2099-01-01T00:00:00Z", "--priority", "3"], source);
    expect((await cli(["process"], source)).code).toBe(1); // one job died, as planned
  });

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const db of TARGETS) await admin(`drop database if exists ${db} with (force)`).catch(() => undefined);
    await admin(`drop role if exists ${ROLE}`).catch(() => undefined);
  });

  it("copies every table, row for row, and users see the same data on the target", async () => {
    const result = await json(["db", "copy", "--to", url(MAIN)], source);
    expect(result.from).toBe(source);
    expect(result.to).toBe(url(MAIN, { password: "" }).replace(`${ROLE}:@`, `${ROLE}@`));
    const byTable = Object.fromEntries((result.tables as Array<{ table: string; rows: number }>).map((t) => [t.table, t.rows]));
    expect(byTable.company).toBe(300);
    expect(byTable.job).toBeGreaterThanOrEqual(4);
    expect(byTable).not.toHaveProperty("schema_migration");
    expect(byTable).not.toHaveProperty("company_fts");
    expect(result.rows).toBe(Object.values(byTable).reduce((a: number, b) => a + (b as number), 0));
    // Referenced tables come first.
    const order = (result.tables as Array<{ table: string }>).map((t) => t.table);
    expect(order.indexOf("company")).toBeLessThan(order.indexOf("lead"));
    expect(order.indexOf("tenant")).toBeLessThan(order.indexOf("invoice"));

    const from = await openStore(source, { busyTimeoutMs: 5000, mustExist: true });
    const to = await openStore(url(MAIN), { busyTimeoutMs: 5000, mustExist: true });
    try {
      for (const t of result.tables as Array<{ table: string; rows: number }>) {
        const columns = (
          from.dialect === "sqlite" ? (from.sqlite.prepare("select name from pragma_table_info(?)").pluck().all(t.table) as string[]) : []
        ).filter((c) => c !== "search");
        expect(await tableRows(to, t.table, columns), t.table).toEqual(await tableRows(from, t.table, columns));
      }
    } finally {
      await from.close();
      await to.close();
    }

    // What users see, on the commands ported to PostgreSQL so far (not yet: companies search).
    const target = url(MAIN);
    for (const args of [
      ["status", "--now", NOW],
      ["schedule", "list", "--now", NOW],
      ["schedule", "history", "brand-scoring"],
      ["report", "leads", "--now", NOW],
      ["jobs", "list", "--limit", "1000"],
      ["jobs", "show", "1"],
      ["jobs", "show", "2"],
      ["leads", "list"],
      ["tracked"],
      ["terminals", "list"],
      ["brands", "list"],
      ["projects", "list"],
      ["invoices", "list"],
    ]) {
      expect(userView(await json(args, target)), args.join(" ")).toEqual(userView(await json(args, source)));
    }
    const infoFrom = await json(["db", "info"], source);
    const infoTo = await json(["db", "info"], target);
    expect(infoTo).toMatchObject({ backend: "postgres", migrations: infoFrom.migrations });

    // The identity sequences continue after the copied ids (`jobs add` on PostgreSQL waits for the queue's port).
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      for (const table of ["job", "lead", "invoice", "vat_rate"]) {
        const { rows } = await client.query(
          `select nextval(pg_get_serial_sequence('${table}', 'id'))::int as next, (select max(id)::int from ${table}) as max`,
        );
        expect(rows[0].next, table).toBe(rows[0].max + 1);
      }
    } finally {
      await client.end();
    }
  }, 240_000); // some twenty CLI runs on each side

  it("refuses a second copy into the now non-empty target (exit 2, one line, nothing changed)", async () => {
    const before = await rowCounts(MAIN);
    const r = await cli(["db", "copy", "--to", url(MAIN)], source);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/is not empty: table \w+ has rows/);
    expect(await rowCounts(MAIN)).toEqual(before);
  });

  it("a missing database is exit 2 naming it; an unreachable server is exit 75", async () => {
    const missing = await cli(["db", "copy", "--to", url(`pgdb_missing_${suffix}`)], source);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`pgdb_missing_${suffix}`);
    const down = await cli(["db", "copy", "--to", url("x", { port: "1" })], source);
    expect(down.code).toBe(75);
    expect(down.stderr).toMatch(/unreachable/);
  });

  it("JSON that jsonb cannot hold (\\u0000) fails naming the table and row; the target stays empty", async () => {
    const small = join(dir, "nul.db");
    await json(["jobs", "add", "noop"], small);
    const bad = await json(["jobs", "add", "noop"], small);
    // SQLite keeps any JSON text; this one's string holds a NUL (a payload leadjobs itself would not write).
    const sqlite = new BetterSqlite3(small);
    sqlite.prepare("update job set payload = ? where id = ?").run('{"text":"a\\u0000b"}', bad.jobs[0].id);
    sqlite.close();
    const r = await cli(["db", "copy", "--to", url(BAD_JSON)], small);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`job id ${bad.jobs[0].id}`);
    expect(r.stderr).toMatch(/\\u0000/);
    const counts = await rowCounts(BAD_JSON);
    expect(counts.job).toBe(0);
    expect(counts.company).toBe(0);
  });

  it("a company name with a NUL character fails naming the company by its org nr; the target stays empty", async () => {
    const small = join(dir, "nul-name.db");
    await json(["jobs", "add", "noop"], small);
    const sqlite = new BetterSqlite3(small);
    for (const [orgnr, name] of [
      ["5560000001", "Första AB"],
      ["5560000019", "Nolla\0 AB"],
    ])
      sqlite
        .prepare("insert into company (orgnr, name, status, created_at, updated_at) values (?, ?, 'active', ?, ?)")
        .run(orgnr, name, NOW, NOW);
    sqlite.close();
    const r = await cli(["db", "copy", "--to", url(BAD_JSON)], small);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^leadjobs: cannot copy company orgnr 5560000019: column name holds a NUL character.*nothing was copied\n$/);
    const counts = await rowCounts(BAD_JSON);
    expect(counts.company).toBe(0);
    expect(counts.job).toBe(0);
  });

  it("SIGINT during the copy rolls it back", async () => {
    const child = spawnCli(["db", "copy", "--to", url(INTERRUPT)], undefined, { env: { LEADJOBS_DB: source } });
    const done = finished(child);
    // Interrupt at the first statement on the target (its migrations): from then on the signal
    // must end in the rollback, never kill the process midway.
    for (let i = 0; i < 2000; i++) {
      const { rows } = await admin("select 1 from pg_stat_activity where datname = $1 and query <> ''", [INTERRUPT]);
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGINT");
    const r = await done;
    outputs.push(r);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^leadjobs: interrupted \(SIGINT\): nothing was copied; .* is as it was\n$/);
    const counts = await rowCounts(INTERRUPT);
    expect(counts.company).toBe(0);
    expect(counts.job).toBe(0);
    // …and the same target takes the copy afterwards.
    expect((await cli(["db", "copy", "--to", url(INTERRUPT)], source)).code).toBe(0);
  });

  it("bad input is one line and exit 2", async () => {
    for (const [args, db, message] of [
      [["db", "copy", "--to", "/tmp/not-a-url.db"], source, /invalid --to/],
      [["db", "copy"], source, /--to/],
      [["db", "copy", "--to", url(MAIN)], url(MAIN), /copies a SQLite database/],
      [["db", "copy", "--to", url(MAIN)], join(dir, "missing.db"), /no database at/],
    ] as const) {
      const r = await cli([...args], db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("never prints the password", () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const r of outputs) expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  });
});
