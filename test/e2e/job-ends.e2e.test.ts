import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runJson, spawnCli, waitForOutput } from "../helpers/cli.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// Nothing here fetches a page: the batch's jobs are cancelled before they run.
const SITES = ["--url", "http://127.0.0.1:9/a", "--url", "http://127.0.0.1:9/b"];

describe("what follows a job's end, on every path", () => {
  it("a batch whose waiting job is cancelled with a parent that a worker stops on request is finished as cancelled", async () => {
    const db = join(tempDir(), "cancelled-parent.db");
    await createDb(db);
    const { batchId, jobId } = (await runJson(["run-batch", "--type", "tech_analysis", ...SITES, "--enqueue"], db)).enqueued[0];
    const parent = (await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":30000}'], db)).jobs[0].id;
    await runJson(["jobs", "add", "web.batch", "--payload", JSON.stringify({ batch: batchId }), "--depends-on", String(parent)], db);
    await runJson(["jobs", "cancel", String(jobId)], db); // the batch now waits on the job that waits on the parent

    const worker = spawnCli(["--verbose", "process"], db);
    const done = finished(worker);
    await waitForOutput(worker, (t) => t.includes(`[job:${parent}:noop] attempt 1/3`));
    expect((await runJson(["jobs", "cancel", String(parent)], db)).jobs).toEqual([{ id: parent, outcome: "requested" }]);
    const run = await done;
    expect(run.code, run.stderr).toBe(0);

    const show = await runJson(["jobs", "show", String(jobId)], db);
    expect(show.batch.items.map((i: { status: string }) => i.status)).toEqual(["cancelled", "cancelled"]);
    expect(show.batch.finishedAt).not.toBeNull();
  });
});
