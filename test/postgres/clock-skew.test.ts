import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cliEnv, finished, ROOT, runJson, spawnCli, type CliResult } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";
import { findProgram, requireTools } from "../helpers/system.ts";

// Machines of one queue whose clocks disagree: leases and due times follow the database server's
// clock, so a machine whose clock is off neither robs a healthy worker nor waits on a dead one.

const host = (name: string, extra: Record<string, string> = {}) => ({ env: { LEADJOBS_HOST: name, ...extra } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The binary on a machine whose clock is `skew` off (faketime's "+2m" / "-2m"). */
function skewed(skew: string, args: string[], db: string, env: Record<string, string>): Promise<CliResult> {
  const child = spawn(findProgram("faketime") ?? "faketime", ["-f", skew, process.execPath, BIN, ...args], {
    cwd: ROOT,
    env: cliEnv(db, env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  return finished(child);
}

async function skewedJson(skew: string, args: string[], db: string, env: Record<string, string>) {
  const r = await skewed(skew, [...args, "--json"], db, env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("machines with skewed clocks", () => {
  it("a machine 2 minutes fast does not take a job a healthy machine is running", async (ctx) => {
    requireTools(["faketime"])(ctx);
    const db = join(tempDir(), "fast.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":60000}'], db);
    const m1 = spawnCli(["process", "--json"], db, host("m1"));
    const done = finished(m1);
    try {
      for (const end = Date.now() + 30_000; query(db, "select state from job where id = 1")[0]?.state !== "running"; await sleep(100))
        if (Date.now() > end) throw new Error("m1 never started the job");
      const m2 = await skewedJson("+2m", ["process"], db, { LEADJOBS_HOST: "m2" });
      expect(m2).toMatchObject({ rescued: 0, claimed: 0 });
      expect(query(db, "select count(*)::int as n from job_attempt")).toEqual([{ n: 0 }]);
    } finally {
      m1.kill("SIGKILL");
      await done;
    }
  });

  it("a machine 2 minutes slow takes back a dead machine's job once its lease has expired", async (ctx) => {
    requireTools(["faketime"])(ctx);
    const db = join(tempDir(), "slow.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":60000}'], db);
    const m1 = spawnCli(["process"], db, host("m1", { LEADJOBS_LEASE: "1s" }));
    const done = finished(m1);
    for (const end = Date.now() + 30_000; query(db, "select state from job where id = 1")[0]?.state !== "running"; await sleep(100))
      if (Date.now() > end) throw new Error("m1 never started the job");
    m1.kill("SIGKILL");
    await done;
    let rescued = 0;
    for (const end = Date.now() + 30_000; rescued === 0 && Date.now() < end; await sleep(200))
      rescued = (await skewedJson("-2m", ["process", "--type", "brand.score"], db, { LEADJOBS_HOST: "m2" })).rescued;
    expect(rescued).toBe(1);
  });
});
