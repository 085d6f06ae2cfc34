import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runCli, spawnCli, waitForOutput } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

describe("process --wait on PostgreSQL", () => {
  it("wakes on new jobs through LISTEN/NOTIFY: with a 10-minute poll, a job added later still runs at once", async () => {
    const db = join(tempDir(), "listen.db");
    await createDb(db);
    const worker = spawnCli(["-v", "process", "--wait", "--poll", "10m", "--max-runtime", "2m", "--json"], db);
    const done = finished(worker);
    // The worker has started and found the queue empty: from now on only a notification wakes it.
    for (let i = 0; i < 300 && query<{ n: number }>(db, "select count(*) as n from command_run")[0]?.n !== 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const added = Date.now();
    expect((await runCli(["jobs", "add", "noop"], db)).code).toBe(0);
    await waitForOutput(worker, (t) => /job 1 \(noop\) attempt 1\/\d+ completed/.test(t), 60_000);
    expect(Date.now() - added).toBeLessThan(60_000); // far below the 10-minute poll
    worker.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ claimed: 1, completed: 1, stoppedBy: "signal" });
  });
});
