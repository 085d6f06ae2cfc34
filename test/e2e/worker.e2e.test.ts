import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli, waitForOutput } from "../helpers/cli.ts";
import { query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

describe("process under concurrency, crashes and signals", () => {
  it("4 workers polling together run 2,000 jobs exactly once", async () => {
    const dir = tempDir();
    const db = join(dir, "q.db");
    const file = join(dir, "jobs.ndjson");
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ sleepMs: i % 7 === 0 ? 2 : 0 })).join("\n"));
    await createDb(db);
    // All four are polling before the jobs arrive, so they really compete for them; they wait
    // for more work until they are told to stop once all 2,000 are done.
    const workers = Array.from({ length: 4 }, () =>
      spawnCli(["process", "--concurrency", "8", "--wait", "--poll", "20ms", "--max-runtime", "50s", "--json"], db),
    );
    const results = Promise.all(workers.map((w) => finished(w)));
    for (
      let i = 0;
      i < 200 && query<{ n: number }>(db, "select count(*) as n from command_run where command = 'process'")[0]?.n !== 4;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const added = await runJson(["jobs", "add", "noop", "--from", file], db);
    expect(added.created).toBe(2000);
    const completed = () => query<{ n: number }>(db, "select count(*) as n from job where state = 'completed'")[0]?.n;
    for (let i = 0; i < 400 && completed() !== 2000; i++) await new Promise((r) => setTimeout(r, 100));
    for (const w of workers) w.kill("SIGTERM");

    const done = await results;
    for (const r of done) expect(r.code, r.stderr).toBe(0);
    const summaries = done.map((r) => JSON.parse(r.stdout));
    expect(summaries.reduce((s, x) => s + x.completed, 0)).toBe(2000);
    expect(summaries.reduce((s, x) => s + x.claimed, 0)).toBe(2000);
    expect(summaries.filter((x) => x.claimed > 0).length).toBeGreaterThan(1);

    expect(query(db, "select state, count(*) as n from job group by state")).toEqual([{ state: "completed", n: 2000 }]);
    expect(query(db, "select count(*) as n from job_attempt")).toEqual([{ n: 2000 }]);
    expect(query(db, "select count(*) as n from (select job_id from job_attempt group by job_id having count(*) > 1) as twice")).toEqual([
      { n: 0 },
    ]);
  });

  it("kill -9 in the middle of a job: the next process finishes it and the history shows the lost attempt", async () => {
    const db = join(tempDir(), "crash.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":30000}'], db);
    const victim = spawnCli(["--verbose", "process", "--lease", "2s"], db);
    const done = finished(victim);
    await waitForOutput(victim, (t) => t.includes("attempt 1/3"));
    victim.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");

    let show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.state).toBe("running");
    // The rerun would sleep the full 30 s again; shorten the job so the test stays quick.
    writeSync(db, "update job set payload = '{\"sleepMs\":50}' where id = 1");
    const rerun = await runCli(["process", "--json"], db);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ rescued: 1, completed: 1 });
    expect(rerun.stderr).toMatch(/job 1 \(noop\) lost: worker .* stopped/);
    show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.state).toBe("completed");
    expect(show.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["lost", "completed"]);
  });

  it("a process run killed with kill -9 shows as killed in status, not as running, and status --check says so", async () => {
    const db = join(tempDir(), "killed-run.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":30000}'], db);
    const victim = spawnCli(["--verbose", "process"], db);
    const done = finished(victim);
    await waitForOutput(victim, (t) => t.includes("attempt 1/3"));
    expect((await runJson(["status"], db)).worker.lastRun).toMatchObject({ exitCode: null, state: "running" });
    victim.kill("SIGKILL");
    await done;

    const status = await runJson(["status"], db);
    expect(status.worker.lastRun).toMatchObject({ finishedAt: null, exitCode: null, state: "killed" });
    const text = await runCli(["status"], db);
    expect(text.stdout).toMatch(/last process run: (.* ago|now) \(killed, no exit recorded\);/); // "now" within a second of the start
    const check = await runCli(["status", "--check"], db);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/the last `leadjobs process` run .*ended without recording an exit/);
  });

  it("an enqueue tick killed with kill -9 shows as killed in status's schedules section (text, --json and report html)", async () => {
    const dir = tempDir();
    const db = join(dir, "killed-tick.db");
    // Every-minute schedules a year behind: each tick spends about a second per schedule
    // counting the missed fires, time enough to stop it after its command_run row is written.
    for (const name of ["a", "b", "c", "d", "e", "f"])
      await runJson(["schedule", "add", "--name", name, "--type", "noop", "--cron", "* * * * *", "--now", "2026-03-01T12:00:00Z"], db);
    const tick = spawnCli(["enqueue", "--now", "2027-03-01T12:00:00Z"], db);
    const done = finished(tick);
    const unfinished = () => query<{ id: number }>(db, "select id from command_run where command = 'enqueue' and exit_code is null");
    const now = ["--now", "2027-03-01T12:00:05Z"];
    try {
      while (unfinished().length === 0) await new Promise((r) => setTimeout(r, 50));
      // Stopped, it is at a known point: its run is recorded and cannot finish any more.
      tick.kill("SIGSTOP");
      expect(unfinished(), "the tick finished before it could be stopped").toHaveLength(1);
      expect((await runJson(["status", ...now], db)).schedules.lastTick).toMatchObject({ exitCode: null, state: "running" });
    } finally {
      tick.kill("SIGKILL");
    }
    expect((await done).signal).toBe("SIGKILL");

    const status = await runJson(["status", ...now], db);
    expect(status.schedules.lastTick).toMatchObject({ finishedAt: null, exitCode: null, state: "killed" });
    const text = await runCli(["status", ...now], db);
    expect(text.stdout).toMatch(/last enqueue tick: 5s ago \(killed, no exit recorded\)/);
    const out = join(dir, "report.html");
    const report = await runCli(["report", "html", "--out", out, ...now], db);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/last enqueue tick: 5s ago \(killed, no exit recorded\)/);
  });

  it("a job whose lease expired is rescued even when its owner is on another host", async () => {
    const db = join(tempDir(), "expired.db");
    await runJson(["jobs", "add", "noop"], db);
    writeSync(
      db,
      "update job set state = 'running', attempts = 1, lease_owner = 'elsewhere:77', lease_token = 1, lease_expires_at = '2026-01-01T00:00:00.000Z', claimed_at = '2026-01-01T00:00:00.000Z' where id = 1",
    );
    const status = await runJson(["status"], db);
    expect(status.expiredLeases).toBe(1);
    const r = await runJson(["process"], db);
    expect(r).toMatchObject({ rescued: 1, completed: 1 });
  });

  it("SIGTERM: the job in flight is released without counting an attempt, nothing is left running", async () => {
    const db = join(tempDir(), "term.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":20000}'], db);
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":300}'], db);
    const worker = spawnCli(["--verbose", "process", "--concurrency", "2", "--grace", "1s", "--json"], db);
    const done = finished(worker);
    await waitForOutput(worker, (t) => (t.match(/attempt 1\/3/g) ?? []).length >= 2);
    worker.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ completed: 1, released: 1, stoppedBy: "signal" });
    const jobs = (await runJson(["jobs", "list"], db)).jobs as Array<{ id: number; state: string; attempts: number }>;
    expect(jobs.find((j) => j.id === 1)).toMatchObject({ state: "pending", attempts: 0 });
    expect(jobs.find((j) => j.id === 2)).toMatchObject({ state: "completed" });
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["released"]);
  });

  it("retries with backoff, then dead; exit 1 only when a job died", async () => {
    const db = join(tempDir(), "retry.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":1}'], db);
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":9}', "--max-attempts", "1"], db);
    const r = await runCli(["process", "--json"], db);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ retried: 1, died: 1 });
    expect(r.stderr).toMatch(/job 2 \(noop\) attempt 1\/1 died: noop: failing attempt 1/);
    const jobs = (await runJson(["jobs", "list"], db)).jobs as Array<{ id: number; state: string; runAt: string }>;
    const retry = jobs.find((j) => j.id === 1)!;
    expect(retry.state).toBe("pending");
    // About a minute (±10% jitter) after the failed attempt, measured on the recorded times, not on this test's clock.
    const failed = (await runJson(["jobs", "show", "1"], db)).attempts[0];
    const delay = Date.parse(retry.runAt) - Date.parse(failed.finishedAt);
    expect(delay).toBeGreaterThan(50_000);
    expect(delay).toBeLessThanOrEqual(66_000);
    // Not due yet: a second run has nothing to do and succeeds quietly.
    const idle = await runCli(["process"], db);
    expect(idle).toMatchObject({ code: 0, stdout: "", stderr: "" });
    // Evaluated later, the retry succeeds on its second attempt.
    writeSync(db, "update job set run_at = '2020-01-01T00:00:00.000Z' where id = 1");
    expect(await runJson(["process"], db)).toMatchObject({ completed: 1 });
    const retried = await runJson(["jobs", "retry", "2"], db);
    expect(retried.retried).toEqual([2]);
    const status = await runJson(["status"], db);
    expect(status.queue.counts).toMatchObject({ pending: 1, completed: 1, dead: 0 });
  });

  it("cancels a running job at its next check", async () => {
    const db = join(tempDir(), "cancel.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":20000}'], db);
    const worker = spawnCli(["--verbose", "process", "--json"], db);
    const done = finished(worker);
    await waitForOutput(worker, (t) => t.includes("attempt 1/3"));
    expect((await runJson(["jobs", "cancel", "1"], db)).jobs).toEqual([{ id: 1, outcome: "requested" }]);
    const r = await done;
    expect(JSON.parse(r.stdout)).toMatchObject({ cancelled: 1 });
    expect((await runJson(["jobs", "show", "1"], db)).job.state).toBe("cancelled");
  });

  it("status --check fails with the reason when jobs died; --max-jobs and dedupe work from the shell", async () => {
    const db = join(tempDir(), "check.db");
    expect((await runCli(["status", "--check"], db)).code).toBe(2); // no database yet: status never creates one
    await runJson(["jobs", "add", "noop", "--payload", '{"failTimes":5}', "--max-attempts", "1"], db);
    const first = await runJson(["jobs", "add", "noop", "--dedupe-key", "nightly"], db);
    const second = await runJson(["jobs", "add", "noop", "--dedupe-key", "nightly"], db);
    expect(second.jobs).toEqual([{ id: first.jobs[0].id, created: false }]);
    const one = await runCli(["process", "--max-jobs", "1", "--json"], db);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout)).toMatchObject({ claimed: 1, died: 1, stoppedBy: "max-jobs" });
    const check = await runCli(["status", "--check"], db);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/health: UNHEALTHY/);
    expect(check.stdout).toMatch(/1 job\(s\) died in the last 1d/);
    const json = await runJson(["status"], db);
    expect(json.queue.counts).toEqual({ pending: 1, running: 0, completed: 0, dead: 1, cancelled: 0 });
    expect(json.health.ok).toBe(false);
  });
});

describe("run timeouts and dependencies from the shell", () => {
  it("a job past its timeout is aborted, recorded as timed out and retried per policy", async () => {
    const db = join(tempDir(), "timeout.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":20000}', "--timeout", "300ms", "--max-attempts", "2"], db);
    const r = await runCli(["process", "--json"], db);
    expect(JSON.parse(r.stdout)).toMatchObject({ retried: 1 });
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.attempts).toMatchObject([{ outcome: "timed_out", error: "timed out after 300ms" }]);
    expect(show.job.timeoutMs).toBe(300);
  });

  it("a child job runs after its parent in the same process run", async () => {
    const db = join(tempDir(), "deps.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":100}'], db);
    const child = await runJson(["jobs", "add", "noop", "--depends-on", "1", "--priority", "9"], db);
    expect(child.jobs).toEqual([{ id: 2, created: true }]);
    expect((await runJson(["status"], db)).queue).toMatchObject({ due: 1, waiting: 1 });
    expect(await runJson(["process"], db)).toMatchObject({ completed: 2 });
    const jobs = (await runJson(["jobs", "show", "2"], db)).job;
    const parent = (await runJson(["jobs", "show", "1"], db)).job;
    expect(jobs.startedAt >= parent.finishedAt).toBe(true);
    const bad = await runCli(["jobs", "add", "noop", "--depends-on", "77"], db);
    expect(bad).toMatchObject({ code: 2, stderr: "leadjobs: no job with id 77 to depend on\n" });
  });

  it("a parent and its child cancelled together, in either order, are both cancelled by the operator", async () => {
    const db = join(tempDir(), "cancel-both.db");
    for (const order of [
      ["1", "2"],
      ["4", "3"],
    ]) {
      const parent = (await runJson(["jobs", "add", "noop", "--run-at", "1h"], db)).jobs[0].id;
      await runJson(["jobs", "add", "noop", "--depends-on", String(parent)], db);
      const r = await runCli(["jobs", "cancel", ...order], db);
      expect({ order, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({
        order,
        code: 0,
        stderr: "",
        stdout: order.map((id) => `job ${id} cancelled\n`).join(""),
      });
    }
    expect(query(db, "select id, state, last_error from job order by id")).toEqual(
      [1, 2, 3, 4].map((id) => ({ id, state: "cancelled", last_error: expect.stringMatching(/^cancelled by /) })),
    );
  });
});

describe("--max-jobs", () => {
  it("stops claiming after n jobs but lets the claimed ones finish, however long they take", async () => {
    const db = join(tempDir(), "maxjobs.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":1500}'], db);
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":1500}'], db);
    await runJson(["jobs", "add", "noop"], db);
    const r = await runJson(["process", "--max-jobs", "2", "--grace", "200ms"], db);
    expect(r).toMatchObject({ claimed: 2, completed: 2, released: 0, stoppedBy: "max-jobs" });
    expect((await runJson(["status"], db)).queue.counts).toMatchObject({ pending: 1, completed: 2 });
  });
});
