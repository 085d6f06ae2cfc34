import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const jobCount = (db: string) => query<{ n: number }>(db, "select count(*) as n from job")[0]?.n;

describe("jobs add --from with a large file", () => {
  // 150,000 arguments spread into one call (Math.min(...ids)) overflow the stack.
  it("enqueues every line, says so and exits 0; listing and cancelling them all works too", async () => {
    const dir = tempDir();
    const db = join(dir, "big.db");
    const file = join(dir, "p.ndjson");
    const lines = 150_000;
    await runJson(["jobs", "add", "noop", "--run-at", "1h"], db);
    writeFileSync(file, "{}\n".repeat(lines));
    const r = await runCli(["jobs", "add", "noop", "--from", file, "--depends-on", "1"], db);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(new RegExp(`^enqueued ${lines} noop jobs \\(ids 2–${lines + 1}\\)\\n$`));
    expect(jobCount(db)).toBe(lines + 1);

    const list = await runCli(["jobs", "list", "--all"], db);
    expect({ code: list.code, stderr: list.stderr, rows: list.stdout.trimEnd().split("\n").length }).toEqual({
      code: 0,
      stderr: "",
      rows: 1 + lines + 1,
    });

    // Cancelling the parent cancels every job waiting on it.
    const cancel = await runCli(["jobs", "cancel", "1"], db);
    expect({ code: cancel.code, stderr: cancel.stderr }).toEqual({ code: 0, stderr: "" });
    expect(query(db, "select state, count(*) as n from job group by state")).toEqual([{ state: "cancelled", n: lines + 1 }]);
  }, 180_000);
});

describe("jobs add --dedupe-key", () => {
  it("returns the queued job of the same type; a key held by a job of another type is refused, naming the holder", async () => {
    const db = join(tempDir(), "dedupe.db");
    expect((await runCli(["jobs", "add", "noop", "--dedupe-key", "nightly"], db)).stdout).toBe("enqueued noop job 1\n");
    const again = await runCli(["jobs", "add", "noop", "--dedupe-key", "nightly"], db);
    expect(again).toMatchObject({ code: 0, stdout: 'noop job 1 is already queued with dedupe key "nightly"\n' });

    for (const json of [[], ["--json"]]) {
      const other = await runCli(["jobs", "add", "budget.alerts", "--dedupe-key", "nightly", ...json], db);
      expect({ code: other.code, stderr: other.stderr, stdout: other.stdout }).toEqual({
        code: 2,
        stderr: 'leadjobs: dedupe key "nightly" is held by job 1 (noop) (a key belongs to one job type: choose another)\n',
        stdout: "",
      });
    }
    expect(query(db, "select id, type from job")).toEqual([{ id: 1, type: "noop" }]);
    // Once the holder is finished, the key is free for any type.
    await runJson(["jobs", "cancel", "1"], db);
    expect((await runJson(["jobs", "add", "budget.alerts", "--dedupe-key", "nightly"], db)).jobs).toEqual([{ id: 2, created: true }]);
  });
});
