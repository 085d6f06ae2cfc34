import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listenForJobs } from "../../src/core/queue/listen.postgres.ts";
import { postgresAdminUrl, postgresUrl } from "../helpers/backend.ts";
import { runCli } from "../helpers/cli.ts";

// What an operator sees when another machine holds the write lock, or the URL asks for
// something the server cannot give: one line and the documented exit code, never a hang.

const WRITE_LOCK = 7_316_002;
// A database of its own: advisory locks are per database, and this file holds the write lock.
const NAME = `ljt_lockfaults_${process.pid}`;
const admin = (sql: string) => execFileSync("psql", ["-qX", "-v", "ON_ERROR_STOP=1", "-c", sql, postgresAdminUrl()], { stdio: "pipe" });
beforeAll(() => admin(`create database ${NAME}`));
afterAll(() => admin(`drop database if exists ${NAME} with (force)`));

let holder: ChildProcess | undefined;
afterEach(() => {
  // Killing psql alone would leave its backend asleep, holding the lock until pg_sleep returns.
  admin(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${NAME}'`);
  holder?.kill();
  holder = undefined;
});

/** A psql session holding the write lock (as a hung machine would) until it is killed. */
async function holdWriteLock(): Promise<void> {
  holder = spawn("psql", ["-qXAt", postgresUrl(NAME)], { stdio: ["pipe", "pipe", "ignore"], env: { ...process.env, PGAPPNAME: NAME } });
  const child = holder;
  await new Promise<void>((resolve) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("held") && resolve());
    child.stdin?.write(`begin; select pg_advisory_xact_lock(${WRITE_LOCK}); select 'held'; select pg_sleep(120);\n`);
  });
}

describe("a write lock another machine holds", () => {
  for (const args of [["enqueue"], ["jobs", "add", "noop"]]) {
    it(`${args.join(" ")} gives up after the busy timeout: one line, exit 75`, async () => {
      const db = postgresUrl(NAME);
      expect((await runCli(["jobs", "add", "noop"], db)).code).toBe(0); // tables exist before the lock is taken
      await holdWriteLock();
      const r = await runCli(args, db, { env: { LEADJOBS_BUSY_TIMEOUT: "1s" } });
      expect(r.code, r.stderr).toBe(75);
      expect(r.stderr).toMatch(
        /^leadjobs: PostgreSQL at postgres:\/\/\S+ is locked by another process \(lock timeout exceeded\); try again later\n$/,
      );
    });
  }
});

describe("a URL the server cannot serve", () => {
  const base = postgresAdminUrl().replace(/\/[^/]*$/, "");

  it("sslmode=require against a server without SSL: one line saying so, exit 2, no Node warning", async () => {
    const r = await runCli(["jobs", "add", "noop"], `${base}/${NAME}?sslmode=require`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/Warning|SECURITY/);
    expect(r.stderr).toMatch(
      /^leadjobs: PostgreSQL at \S+ does not support SSL connections, which the URL requires \(sslmode=require\) .*\n$/,
    );
  });

  // libpq's meanings: prefer tries SSL and connects without it where the server has none (psql's
  // default); allow connects without SSL. Neither requires SSL, so neither is refused here.
  for (const mode of ["prefer", "allow"]) {
    it(`sslmode=${mode} against a server without SSL connects without it, for the pool and the LISTEN connection`, async () => {
      const url = `${base}/${NAME}?sslmode=${mode}`;
      const add = await runCli(["jobs", "add", "noop"], url);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stderr).not.toMatch(/SSL|Warning|SECURITY/);
      const status = await runCli(["status"], url);
      expect(status.code, status.stderr).toBe(0);
      const listener = await listenForJobs(url, { onJobs: () => undefined, onLost: () => undefined, onBack: () => undefined });
      expect(listener.live).toBe(true);
      await listener.close();
    });
  }

  it.each(["bogus", "DISABLE"])("sslmode=%s, not a libpq value: one line naming the valid ones, exit 2", async (mode) => {
    const r = await runCli(["status"], `${base}/${NAME}?sslmode=${mode}`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `leadjobs: invalid sslmode value "${mode}" in the URL (one of: disable, allow, prefer, require, verify-ca, verify-full)\n`,
    );
  });

  it.each(["sslrootcert", "sslcert", "sslkey"])("a %s file that cannot be read: one line naming it, exit 2", async (key) => {
    const r = await runCli(["status"], `${base}/${NAME}?sslmode=verify-ca&${key}=/nonexist`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^leadjobs: cannot read the URL's ${key} file /nonexist \\(no such file or directory\\) .*\n$`));
  });

  it("a search_path naming a schema that does not exist: exit 2 naming it, for writers and readers", async () => {
    const url = `${base}/${NAME}?options=-c%20search_path%3Dno_such_schema_x`;
    for (const args of [["jobs", "add", "noop"], ["enqueue"], ["status"]]) {
      const r = await runCli(args, url);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        /^leadjobs: PostgreSQL at \S+: the schema in the URL's search_path \(no_such_schema_x\) does not exist .*\n$/,
      );
    }
  });
});
