import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { postgresAdminUrl, postgresSync } from "../helpers/backend.ts";
import { type CliResult, finished, runCli, spawnCli } from "../helpers/cli.ts";

// `process --wait` whose LISTEN connection goes away: it must keep claiming (polling), listen
// again, and say so. Each test has a database of its own, so it kills only its worker's listener.

const SERVER = fileURLToPath(new URL("../../scripts/postgres-test-server.sh", import.meta.url));
const sleep = (ms: number) => new Promise<undefined>((r) => setTimeout(() => r(undefined), ms));
const LOST = /lost the connection that listens for new jobs/;
const BACK = /listening again for new jobs/;

function databaseOn(admin: string, name: string): string {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

const listeners = (url: string, db: string) =>
  postgresSync<{ pid: number }>(url, "select pid from pg_stat_activity where datname = $1 and query ilike 'listen%'", [db]);

interface Worker {
  worker: ChildProcess;
  done: Promise<CliResult>;
  /** Resolves once the worker's stderr+stdout so far matches `re`. */
  printed(re: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts a waiting worker and returns once it is idle, its LISTEN connection up. */
async function idleWorker(url: string, db: string, args: string[]): Promise<Worker> {
  const worker = spawnCli(["-v", "process", "--wait", "--json", ...args], url);
  let text = "";
  worker.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  worker.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  const done = finished(worker);
  onTestFinished(() => void worker.kill("SIGKILL"));
  for (let i = 0; i < 300 && listeners(url, db).length === 0; i++) await sleep(100);
  expect(listeners(url, db)).toHaveLength(1);
  const printed = async (re: RegExp, timeoutMs = 60_000) => {
    for (const end = Date.now() + timeoutMs; !re.test(text); await sleep(50))
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}; got: ${text}`);
  };
  return { worker, done, printed };
}

function killListener(url: string, db: string): void {
  const killed = postgresSync<{ ok: boolean }>(
    url,
    "select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and query ilike 'listen%'",
    [db],
  );
  expect(killed).toEqual([{ ok: true }]);
}

describe("process --wait when its listening connection is killed", () => {
  const name = `ljt_listen_lost_${process.pid}`;
  let admin = "";
  beforeAll(() => {
    admin = postgresAdminUrl();
    postgresSync(admin, `create database ${name}`);
  });
  afterAll(() => {
    postgresSync(admin, `drop database if exists ${name} with (force)`);
  });

  it("keeps claiming: a job added after the loss runs long before --max-runtime, and it says once that it listens again", {
    timeout: 90_000,
  }, async () => {
    const url = databaseOn(admin, name);
    const { worker, done, printed } = await idleWorker(url, name, ["--max-runtime", "2m"]);
    killListener(url, name);
    await printed(LOST);
    const added = Date.now();
    expect((await runCli(["jobs", "add", "noop"], url)).code).toBe(0);
    await printed(/job 1 \(noop\) attempt 1\/\d+ completed/);
    await printed(BACK);
    expect(Date.now() - added).toBeLessThan(60_000);
    worker.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ claimed: 1, completed: 1, stoppedBy: "signal" });
    expect(r.stderr.split("listening again").length - 1).toBe(1);
  });

  it("goes back to waiting on notifications: with a 10-minute poll, a job added once it listens again runs at once", {
    timeout: 90_000,
  }, async () => {
    const url = databaseOn(admin, name);
    const { worker, done, printed } = await idleWorker(url, name, ["--poll", "10m", "--max-runtime", "3m"]);
    killListener(url, name);
    await printed(BACK);
    expect(listeners(url, name)).toHaveLength(1);
    const added = Date.now();
    expect((await runCli(["jobs", "add", "noop"], url)).code).toBe(0);
    await printed(/job \d+ \(noop\) attempt 1\/\d+ completed/);
    expect(Date.now() - added).toBeLessThan(60_000); // far below the 10-minute poll
    worker.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ claimed: 1, completed: 1, stoppedBy: "signal" });
  });
});

describe("process --wait across a PostgreSQL restart", () => {
  let dir = "";
  let admin = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "leadjobs-pg-listen-"));
    admin = execFileSync("bash", [SERVER, dir], { encoding: "utf8" }).trim();
  });
  afterAll(() => {
    try {
      execFileSync("bash", [SERVER, "stop", dir], { stdio: "ignore" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 75 at once or carries on and runs a job added after the restart, never idles to --max-runtime", {
    timeout: 90_000,
  }, async () => {
    const url = databaseOn(admin, "postgres");
    const started = Date.now();
    const { worker, done, printed } = await idleWorker(url, "postgres", ["--max-runtime", "90s"]);
    execFileSync("bash", [SERVER, "restart", dir], { stdio: "ignore" });
    const exited = await Promise.race([done, sleep(3000)]);
    if (exited) {
      expect(exited.code, exited.stderr).toBe(75);
      // Whichever the worker met first: the refused connection, the shutdown's 57P01, the start-up's 57P03.
      expect(exited.stderr).toMatch(/^leadjobs: PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres [^\n]*; try again later$/m);
      return;
    }
    expect((await runCli(["jobs", "add", "noop"], url)).code).toBe(0);
    await printed(/job 1 \(noop\) attempt 1\/\d+ completed/, 45_000);
    worker.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ claimed: 1, completed: 1, stoppedBy: "signal" });
    expect(r.stderr).toMatch(BACK);
    expect(Date.now() - started).toBeLessThan(90_000);
  });
});
