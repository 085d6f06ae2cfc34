import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, runCli, spawnCli } from "../helpers/cli.ts";

// What an operator sees when the PostgreSQL behind --db is wrong: a server of this test's own,
// where role "anna" must give her password (the shared test server trusts everyone).
const SERVER = fileURLToPath(new URL("../../scripts/postgres-test-server.sh", import.meta.url));
const PASSWORD = "hemligt-Lösen-42";
let dir = "";
let admin = "";

const urlAs = (user: string, password: string, database: string) => {
  const u = new URL(admin);
  u.username = user;
  u.password = encodeURIComponent(password);
  u.pathname = `/${database}`;
  return u.toString();
};
const psql = (sql: string) => execFileSync("psql", ["-qX", "-v", "ON_ERROR_STOP=1", "-c", sql, admin], { stdio: "pipe" });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "leadjobs-pg-auth-"));
  admin = execFileSync("bash", [SERVER, dir], { encoding: "utf8" }).trim();
  psql(`create role anna login password '${PASSWORD}'`);
  psql("create database anna_own owner anna");
  psql("create database not_annas");
  const hba = join(dir, "data", "pg_hba.conf");
  writeFileSync(hba, `host all anna 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, "utf8")}`);
  execFileSync("bash", [SERVER, "reload", dir], { stdio: "ignore" });
});
afterAll(() => {
  try {
    execFileSync("bash", [SERVER, "stop", dir], { stdio: "ignore" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function expectNoPassword(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(encodeURIComponent(PASSWORD));
}

describe("--db postgres://… that does not work", () => {
  it("a wrong password: exit 2, one line naming the role, the password nowhere", async () => {
    const r = await runCli(["jobs", "add", "noop"], urlAs("anna", "fel-lösenord-99", "anna_own"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^leadjobs: PostgreSQL at postgres:\/\/anna@127\.0\.0\.1:\d+\/anna_own: authentication failed for role "anna" \(.*\)\n$/,
    );
    expect(r.stderr).not.toContain("fel-lösenord-99");
  });

  it("a role without the right to create the tables: exit 2 naming the role, nothing created", async () => {
    const r = await runCli(["jobs", "add", "noop"], urlAs("anna", PASSWORD, "not_annas"));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/role "anna" lacks a permission: permission denied for schema public/);
    expectNoPassword(r.stderr);
    expect(
      execFileSync(
        "psql",
        ["-qXAt", "-c", "select count(*) from pg_tables where schemaname = 'public'", admin.replace(/\/postgres$/, "/not_annas")],
        { encoding: "utf8" },
      ).trim(),
    ).toBe("0");
  });

  it("a database that does not exist: exit 2 naming it", async () => {
    const r = await runCli(["status"], urlAs("anna", PASSWORD, "no_such_db"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/database "no_such_db" does not exist/);
    expectNoPassword(r.stderr);
  });

  it("a server that is down: exit 75, try again later", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runCli(["process"], `postgres://anna:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/anna_own`);
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(
      /^leadjobs: PostgreSQL at postgres:\/\/anna@127\.0\.0\.1:\d+\/anna_own is unreachable \(connection refused: is the server running\?\); try again later\n$/,
    );
    expectNoPassword(r.stderr);
  });

  it("a role at its connection limit: exit 75 saying so, not 'unreachable'", async () => {
    psql("create role limited login connection limit 0");
    const r = await runCli(["status"], urlAs("limited", "", "anna_own"));
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(
      /^leadjobs: PostgreSQL at \S+ has too many connections \(the server's or the role's connection limit is reached\); try again later\n$/,
    );
  });

  it("a connection an administrator ends: exit 75 in words, not a bare SQLSTATE", async () => {
    const db = urlAs("anna", PASSWORD, "anna_own");
    expect((await runCli(["jobs", "add", "noop"], db)).code).toBe(0);
    // anna's command waits for the write lock the admin holds, and the admin ends her connection.
    const own = admin.replace(/\/postgres$/, "/anna_own");
    const holder = spawn("psql", ["-qXAt", own], { stdio: ["pipe", "pipe", "ignore"] });
    await new Promise<void>((resolve) => {
      holder.stdout?.on("data", (d: Buffer) => d.toString().includes("held") && resolve());
      holder.stdin?.write("begin; select pg_advisory_xact_lock(7316002); select 'held';\n");
    });
    const child = spawnCli(["jobs", "add", "noop"], db, { env: { LEADJOBS_BUSY_TIMEOUT: "60s" } });
    const ended = finished(child);
    const waiting = "select count(*) from pg_stat_activity where usename = 'anna' and wait_event_type = 'Lock'";
    while (execFileSync("psql", ["-qXAt", "-c", waiting, admin], { encoding: "utf8" }).trim() === "0")
      await new Promise((r) => setTimeout(r, 100));
    psql("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'anna'");
    const r = await ended;
    holder.stdin?.end("rollback;\n");
    expect(r.code, r.stderr).toBe(75);
    expect(r.stderr).toMatch(
      /^leadjobs: PostgreSQL at \S+ ended the connection \(an administrator command or a server shutdown\); try again later\n$/,
    );
  });

  it("working: the password appears in no output, --json or stored error", async () => {
    const db = urlAs("anna", PASSWORD, "anna_own");
    // A failing job whose error quotes the URL, as a careless handler or driver might.
    expect((await runCli(["jobs", "add", "noop", "--payload", '{"failTimes":5}', "--max-attempts", "1"], db)).code).toBe(0);
    const run = await runCli(["process", "--json", "--verbose"], db, { env: { LEADJOBS_TRACE_SQL: "1" } });
    expect(run.code).toBe(1);
    for (const args of [
      ["status", "--json"],
      ["db", "info", "--json"],
      ["jobs", "show", "1", "--json"],
      ["status", "--check"],
    ]) {
      const r = await runCli(args, db);
      expectNoPassword(r.stdout + r.stderr);
    }
    expectNoPassword(run.stdout + run.stderr);
    const info = JSON.parse((await runCli(["db", "info", "--json"], db)).stdout);
    expect(JSON.stringify(info)).toMatch(/postgres:\/\/anna@127\.0\.0\.1:\d+\/anna_own/);
  });
});
