import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureSites, type FixtureServers } from "../fixtures/web/server.mjs";
import { finished, runCli, runJson, scheduleAddArgs, spawnCli, waitForOutput } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// The web.batch jobs of a batch, however they are enqueued, and how a cancel closes the batch.

let f: FixtureServers;
beforeAll(async () => {
  f = await startFixtureSites({ slowMs: 20_000 });
});
afterAll(async () => {
  await f.close();
});

const FAST = ["--allow-private", "--delay", "0ms"];

/** Enqueues a batch of two sites with `run-batch --enqueue`: its id and its job's. */
async function enqueueBatch(db: string): Promise<{ batchId: number; jobId: number }> {
  const sites = [f.sites.kaffehornan, f.sites.tygladan].flatMap((u) => ["--url", u as string]);
  return (await runJson(["run-batch", "--type", "tech_analysis", ...sites, "--enqueue", ...FAST], db)).enqueued[0];
}

const batchOf = async (db: string, job: number) => (await runJson(["jobs", "show", String(job)], db)).batch;
const statuses = (b: { items: Array<{ status: string }> }) => b.items.map((i) => i.status);

describe("jobs add web.batch naming a batch", () => {
  it("attaches the job to its batch (--payload, --from and a schedule's run), so the batch sees it; a batch that does not exist is refused", async () => {
    const db = join(tempDir(), "attach.db");
    const { batchId, jobId } = await enqueueBatch(db);
    expect({ batchId, jobId }).toEqual({ batchId: 1, jobId: 1 });

    const added = await runJson(["jobs", "add", "web.batch", "--payload", '{"batch":1}'], db);
    const second = added.jobs[0].id as number;
    const ndjson = join(tempDir(), "batches.ndjson");
    writeFileSync(ndjson, '{"batch":1}\n');
    const third = (await runJson(["jobs", "add", "web.batch", "--from", ndjson], db)).jobs[0].id as number;
    for (const id of [second, third]) expect((await runJson(["jobs", "show", String(id)], db)).job.batchId, `job ${id}`).toBe(1);
    expect((await batchOf(db, second)).jobs).toEqual([1, second, third]);

    // The batch knows its jobs: cancelling two leaves it waiting for the third, and a retry is refused meanwhile.
    await runJson(["jobs", "cancel", "1", String(third)], db);
    const waiting = await batchOf(db, second);
    expect(statuses(waiting)).toEqual(["pending", "pending"]);
    expect(waiting.finishedAt).toBeNull();
    const busy = await runCli(["run-batch", "--retry-failed", "1"], db);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(new RegExp(`batch 1 is still queued or running \\(job ${second}\\)`));

    const before = counts(db, ["job", "schedule"]);
    const unknown = await runCli(["jobs", "add", "web.batch", "--payload", '{"batch":99}'], db);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toEqual(["leadjobs: invalid payload for web.batch: no batch with id 99"]);
    writeFileSync(ndjson, '{"batch":1}\n{"batch":99}\n');
    const unknownInFile = await runCli(["jobs", "add", "web.batch", "--from", ndjson], db);
    expect(unknownInFile.code).toBe(2);
    expect(unknownInFile.stderr.trim().split("\n")).toEqual(["leadjobs: invalid payload for web.batch (payload 2): no batch with id 99"]);
    const schedule = await runCli(scheduleAddArgs("batch-99", "web.batch", { batch: 99 }), db);
    expect(schedule.code).toBe(2);
    expect(schedule.stderr.trim().split("\n")).toEqual(["leadjobs: invalid payload for web.batch: no batch with id 99"]);
    expect(counts(db, ["job", "schedule"])).toEqual(before);

    // A schedule's run of a batch belongs to it by the time it runs.
    await runJson(["jobs", "cancel", String(second)], db);
    const other = await enqueueBatch(db);
    await runJson(scheduleAddArgs("batch-2", "web.batch", { batch: other.batchId }), db);
    await runJson(["schedule", "trigger", "batch-2"], db);
    await runJson(["jobs", "cancel", String(other.jobId)], db);
    const run = await runJson(["process"], db, { env: { LEADJOBS_WEB_DELAY: "0ms" } });
    expect(run).toMatchObject({ claimed: 1, completed: 1 });
    const [scheduledId] = query<{ id: number }>(db, "select id from job where schedule_id is not null").map((j) => j.id);
    const show = await runJson(["jobs", "show", String(scheduledId)], db);
    expect(show.job.batchId).toBe(other.batchId);
    expect(statuses(show.batch)).toEqual(["ok", "ok"]);
    expect(show.batch.jobs).toContain(scheduledId);
  });
});

describe("a web.batch job cancelled while the job it waits on runs", () => {
  it("finishes its batch as cancelled when the running parent's cancel cancels it", async () => {
    const db = join(tempDir(), "cascade.db");
    const { jobId } = await enqueueBatch(db);
    const parent = (await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":60000}'], db)).jobs[0].id as number;
    const child = (await runJson(["jobs", "add", "web.batch", "--payload", '{"batch":1}', "--depends-on", String(parent)], db)).jobs[0]
      .id as number;
    await runJson(["jobs", "cancel", String(jobId)], db); // the batch is left to the child

    const worker = spawnCli(["--verbose", "process"], db);
    const done = finished(worker);
    await waitForOutput(worker, (t) => t.includes(`job:${parent}:noop`));
    expect((await runJson(["jobs", "cancel", String(parent)], db)).jobs[0].outcome).toBe("requested");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);

    expect((await runJson(["jobs", "show", String(child)], db)).job.state).toBe("cancelled");
    const batch = await batchOf(db, jobId);
    expect(statuses(batch)).toEqual(["cancelled", "cancelled"]);
    expect(batch.finishedAt).not.toBeNull();
    const out = join(tempDir(), "dashboard.html");
    expect((await runCli(["report", "html", "--out", out], db)).code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/<b>batch 1<\/b> <span class="meta">tech_analysis · [^<]* · cancelled<\/span>/);
  });
});
