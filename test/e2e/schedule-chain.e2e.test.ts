import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const CREATED = "2026-03-01T12:00:00Z";
const TICK = "2026-03-02T01:01:00Z"; // 02:01 in Stockholm, the day after
const byId = <T extends { id: number }>(jobs: T[]): T[] => [...jobs].sort((a, b) => a.id - b.id);

// A schedule's run timeout and its follow-up job (--then), through the real binary.
describe("schedule --timeout and --then", () => {
  it("stores both, shows them, and the tick enqueues each run with its follow-up waiting for it", async () => {
    const db = join(tempDir(), "chain.db");
    const added = await runJson(
      [
        "schedule",
        "add",
        "--name",
        "collect",
        "--type",
        "noop",
        "--cron",
        "0 2 * * *",
        "--timeout",
        "10m",
        "--then",
        "noop",
        "--then-payload",
        '{"sleepMs":1}',
        "--now",
        CREATED,
        "--as",
        "anna",
      ],
      db,
    );
    expect(added).toMatchObject({ timeoutMs: 600_000, then: { type: "noop", payload: { sleepMs: 1 } } });
    const shown = await runCli(["schedule", "show", "collect", "--now", CREATED], db);
    expect(shown.stdout).toMatch(/^\s*timeout\s+10m$/m);
    expect(shown.stdout).toMatch(/^\s*then\s+noop \{"sleepMs":1\} \(after each run that completed\)$/m);

    expect((await runJson(["enqueue", "--now", TICK], db)).schedules[0].runs).toHaveLength(1);
    const [run, follow] = byId<any>((await runJson(["jobs", "list"], db)).jobs);
    expect(run).toMatchObject({ type: "noop", timeoutMs: 600_000, scheduleId: added.id, dependsOn: null });
    expect(follow).toMatchObject({
      type: "noop",
      payload: { sleepMs: 1 },
      scheduleId: added.id,
      dependsOn: run.id,
      waitingForDependency: true,
    });
    expect(await runJson(["process"], db)).toMatchObject({ completed: 2 });

    // The follow-up of a run that does not complete never runs.
    await runJson(["schedule", "edit", "collect", "--payload", '{"failTimes":3}', "--timeout", "none", "--now", CREATED], db);
    const trigger = await runJson(["schedule", "trigger", "collect"], db);
    await runJson(["process"], db); // the first attempt fails; the retry waits a minute
    const [failing, waiting] = byId<any>((await runJson(["jobs", "list"], db)).jobs).filter((j: { id: number }) => j.id >= trigger.jobId);
    expect(failing).toMatchObject({ id: trigger.jobId, state: "pending", attempts: 1, timeoutMs: null });
    expect(waiting).toMatchObject({ state: "pending", dependsOn: trigger.jobId, waitingForDependency: true });
    await runJson(["jobs", "cancel", String(trigger.jobId)], db);
    expect((await runJson(["jobs", "show", String(waiting.id)], db)).job.state).toBe("cancelled");

    const dropped = await runJson(["schedule", "edit", "collect", "--then", "none", "--now", CREATED], db);
    expect(dropped.schedule.then).toBeNull();
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const db = join(tempDir(), "bad.db");
    await runJson(["schedule", "add", "--name", "base", "--type", "noop", "--cron", "0 2 * * *", "--now", CREATED], db);
    const before = counts(db, ["schedule", "schedule_audit"]);
    const cases: Array<[string[], RegExp]> = [
      [["schedule", "add", "--name", "x", "--type", "noop", "--cron", "0 2 * * *", "--then", "no.such"], /unknown job type "no\.such"/],
      [
        ["schedule", "add", "--name", "x", "--type", "noop", "--cron", "0 2 * * *", "--then", "noop", "--then-payload", '{"bogus":1}'],
        /invalid payload for noop \(--then-payload\)/,
      ],
      [
        ["schedule", "add", "--name", "x", "--type", "noop", "--cron", "0 2 * * *", "--then-payload", "{}"],
        /--then-payload needs --then TYPE/,
      ],
      [["schedule", "add", "--name", "x", "--type", "noop", "--cron", "0 2 * * *", "--timeout", "0s"], /invalid --timeout "0s"/],
      [["schedule", "add", "--name", "x", "--type", "noop", "--cron", "0 2 * * *", "--timeout", "soon"], /--timeout/],
      [["schedule", "edit", "base", "--then", "none", "--then-payload", "{}"], /--then-payload goes with --then TYPE/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(counts(db, ["schedule", "schedule_audit"])).toEqual(before);
  });
});

describe("the config file", () => {
  it("a misspelled key is one line and exit 2, with the nearest known key", async () => {
    const dir = tempDir();
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify({ concurency: 3 }));
    const r = await runCli(["--config", config, "status"], join(dir, "c.db"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('leadjobs: unknown config key "concurency" (did you mean "concurrency"?)\n');
  });
});
