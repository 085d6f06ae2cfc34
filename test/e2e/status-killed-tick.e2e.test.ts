import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

describe("status --check and the enqueue tick", () => {
  it("a tick killed with kill -9 is a problem until a later tick is recorded", async () => {
    const db = join(tempDir(), "killed-tick-check.db");
    // Every-minute schedules a year behind: each tick spends about a second per schedule
    // counting the missed fires, time enough to kill it after its command_run row is written.
    for (const name of ["a", "b", "c", "d", "e", "f"])
      await runJson(["schedule", "add", "--name", name, "--type", "noop", "--cron", "* * * * *", "--now", "2026-03-01T12:00:00Z"], db);
    const tick = spawnCli(["enqueue", "--now", "2027-03-01T12:00:00Z"], db);
    const done = finished(tick);
    const unfinished = () => query<{ id: number }>(db, "select id from command_run where command = 'enqueue' and exit_code is null");
    try {
      while (unfinished().length === 0) await new Promise((r) => setTimeout(r, 50));
    } finally {
      tick.kill("SIGKILL");
    }
    expect((await done).signal).toBe("SIGKILL");
    expect(unfinished(), "the tick finished before it was killed").toHaveLength(1);

    const problem =
      /the last `leadjobs enqueue` tick \(started 2027-03-01T12:00:00\.\d+Z\) ended without recording an exit: its process is gone/;
    const check = await runCli(["status", "--check", "--now", "2027-03-01T12:00:05Z"], db);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(problem);
    const json = await runCli(["status", "--json", "--now", "2027-03-01T12:00:05Z"], db);
    expect(JSON.parse(json.stdout).health.problems).toContainEqual(expect.stringMatching(problem));

    // The next tick (the schedules paused, so it is quick) replaces it: that problem is gone.
    for (const name of ["a", "b", "c", "d", "e", "f"]) await runJson(["schedule", "pause", name], db);
    const next = await runCli(["enqueue", "--now", "2027-03-01T12:01:00Z"], db);
    expect(next.code, next.stderr).toBe(0);
    const after = await runCli(["status", "--json", "--now", "2027-03-01T12:01:05Z"], db);
    const doc = JSON.parse(after.stdout);
    expect(doc.schedules.lastTick).toMatchObject({ exitCode: 0, state: "finished" });
    expect(doc.health.problems.filter((p: string) => p.includes("enqueue"))).toEqual([]);
  });
});
