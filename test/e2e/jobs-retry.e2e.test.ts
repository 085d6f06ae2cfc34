import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

/** A dead invoice.pdf job as an older leadjobs left it: made before the type declared its dedupe key, so without one. */
function keylessDeadPdfJob(db: string, invoiceId: number): void {
  const at = "2026-11-01T08:00:00.000Z";
  writeSync(
    db,
    `insert into job (type, payload, state, run_at, attempts, max_attempts, last_error, created_at, updated_at, finished_at)
     values ('invoice.pdf', '{"invoiceId":${invoiceId}}', 'dead', '${at}', 4, 4, 'no storage root', '${at}', '${at}', '${at}')`,
  );
}

const liveJobs = (db: string) =>
  query<{ id: number; dedupe_key: string | null }>(db, "select id, dedupe_key from job where state in ('pending', 'running') order by id");

describe("jobs retry applies the job type's dedupe key", () => {
  it("a keyless old job is not brought back beside the live job for its invoice; revived, it carries the key", async () => {
    const db = join(tempDir(), "retry-keys.db");
    await createDb(db);
    expect((await runJson(["jobs", "add", "invoice.pdf", "--payload", '{"invoiceId":7}'], db)).jobs).toEqual([{ id: 1, created: true }]);
    keylessDeadPdfJob(db, 7); // job 2
    keylessDeadPdfJob(db, 8); // job 3
    keylessDeadPdfJob(db, 9); // job 4
    keylessDeadPdfJob(db, 9); // job 5

    const named = await runCli(["jobs", "retry", "2"], db);
    expect(named.code).toBe(2);
    expect(named.stderr.trim().split("\n")).toEqual([
      'leadjobs: job 2 cannot be retried: job 1 with the same dedupe key "invoice.pdf:7" is queued',
    ]);
    expect(named.stdout).toBe("");
    expect(liveJobs(db)).toEqual([{ id: 1, dedupe_key: "invoice.pdf:7" }]);

    const all = await runCli(["jobs", "retry", "--dead"], db);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trim().split("\n")).toEqual([
      "retrying 2 jobs: 3, 4",
      'left job 2 dead: job 1 with the same dedupe key "invoice.pdf:7" is queued',
      'left job 5 dead: job 4 with the same dedupe key "invoice.pdf:9" is queued',
    ]);
    expect(liveJobs(db)).toEqual([
      { id: 1, dedupe_key: "invoice.pdf:7" },
      { id: 3, dedupe_key: "invoice.pdf:8" },
      { id: 4, dedupe_key: "invoice.pdf:9" },
    ]);
    // Holding its key now, the revived job is what enqueueing its invoice's PDF again returns.
    expect((await runJson(["jobs", "add", "invoice.pdf", "--payload", '{"invoiceId":8}'], db)).jobs).toEqual([{ id: 3, created: false }]);

    // Once the live job is gone, the old one comes back, with the key.
    await runJson(["jobs", "cancel", "1"], db);
    expect(await runJson(["jobs", "retry", "2"], db)).toEqual({ retried: [2], skipped: [] });
    expect(liveJobs(db)).toContainEqual({ id: 2, dedupe_key: "invoice.pdf:7" });
  });
});
