import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const oneLine = (text: string) => text.trim().split("\n").length === 1;
const CREATED = "2026-03-01T12:00:00Z";

async function add(db: string, name: string, args: string[], extra: string[] = []) {
  return runJson(["schedule", "add", "--name", name, "--type", "noop", ...args, "--now", CREATED, "--as", "anna", ...extra], db);
}

describe("schedule commands", () => {
  it("add, list by owner, show, preview, edit, pause, resume and rm, with an audit trail", async () => {
    const db = join(tempDir(), "s.db");
    const added = await add(db, "nightly", ["--cron", "0 2 * * *"]);
    expect(added).toMatchObject({
      name: "nightly",
      owner: "anna",
      active: true,
      timing: { cron: "0 2 * * *", tz: "Europe/Stockholm", description: "at 02:00 every day" },
      nextFireAt: "2026-03-02T01:00:00.000Z",
    });
    await runJson(
      [
        "schedule",
        "add",
        "--name",
        "evening",
        "--type",
        "noop",
        "--at",
        "22:00",
        "--days",
        "weekdays",
        "--tz",
        "europe/london",
        "--as",
        "bo",
        "--now",
        CREATED,
      ],
      db,
    );

    const anna = await runJson(["schedule", "list", "--owner", "anna"], db);
    expect(anna.schedules.map((s: { name: string }) => s.name)).toEqual(["nightly"]);
    const all = await runJson(["schedule", "list"], db);
    expect(all.schedules.map((s: { name: string; timing: { tz: string; cron: string } }) => [s.name, s.timing.tz, s.timing.cron])).toEqual([
      ["evening", "Europe/London", "0 22 * * 1-5"],
      ["nightly", "Europe/Stockholm", "0 2 * * *"],
    ]);

    const preview = await runCli(["schedule", "preview", "evening", "--count", "3", "--now", "2026-03-27T12:00:00Z"], db);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain("evening: at 22:00 on weekdays (Monday to Friday) (Europe/London)");
    expect(preview.stdout).toContain("Fri 2026-03-27 22:00 GMT");
    expect(preview.stdout).toContain("Mon 2026-03-30 22:00 BST");

    const edited = await runJson(
      [
        "schedule",
        "edit",
        "nightly",
        "--cron",
        "30 3 * * *",
        "--misfire",
        "all",
        "--cap",
        "3",
        "--as",
        "carl",
        "--now",
        "2026-03-02T00:00:00Z",
      ],
      db,
    );
    expect(edited.changes).toEqual({ cron: ["0 2 * * *", "30 3 * * *"], misfire: ["coalesce", "all"], cap: [10, 3] });
    expect(edited.schedule.nextFireAt).toBe("2026-03-02T02:30:00.000Z");
    expect((await runJson(["schedule", "pause", "nightly", "--as", "carl"], db)).changed).toBe(true);
    expect((await runCli(["schedule", "pause", "nightly"], db)).stdout).toMatch(/already paused/);
    expect((await runJson(["schedule", "resume", "nightly", "--as", "anna"], db)).schedule.active).toBe(true);

    const show = await runJson(["schedule", "show", "nightly"], db);
    expect(show.audit.map((a: { action: string; actor: string }) => `${a.action}:${a.actor}`)).toEqual([
      "resume:anna",
      "pause:carl",
      "edit:carl",
      "add:anna",
    ]);
    expect(show.audit[2].changes.misfire).toEqual(["coalesce", "all"]);

    const rm = await runJson(["schedule", "rm", "evening", "--as", "bo"], db);
    expect(rm.removed.name).toBe("evening");
    expect((await runJson(["schedule", "list"], db)).schedules).toHaveLength(1);
    expect(query(db, "select action, actor, schedule_name from schedule_audit where action = 'rm'")).toEqual([
      { action: "rm", actor: "bo", schedule_name: "evening" },
    ]);
  });

  it("bad input: one clear line, exit 2, nothing written", async () => {
    const db = join(tempDir(), "bad.db");
    await add(db, "taken", ["--cron", "0 2 * * *"]);
    const before = counts(db, ["schedule", "schedule_audit", "job", "schedule_fire"]);
    const cases: Array<[string[], RegExp]> = [
      [["--cron", "0 25 * * *"], /invalid cron expression "0 25 \* \* \*": hour field "25": 25 is out of range 0-23/],
      [["--cron", "*/15 * * * mon-funday"], /day-of-week field "mon-funday": unknown day name "funday"/],
      [["--cron", "0 2 * *"], /expected 5 fields/],
      [["--cron", "0 2 * * *", "--tz", "Europe/Stokholm"], /unknown time zone "Europe\/Stokholm"/],
      [["--at", "22:00", "--days", "mon,fredag,someday"], /unknown day name "someday"/],
      [["--at", "24:00"], /invalid --at "24:00"/],
      [["--cron", "0 2 * * *", "--at", "02:00"], /either as --cron EXPR or as --at/],
      [["--cron", "0 2 * * *", "--misfire", "later"], /invalid --misfire "later": use coalesce, skip, all/],
      [["--cron", "0 2 * * *", "--payload", '{"sleepMs":-1}'], /invalid payload for noop: sleepMs/],
      [["--cron", "0 2 * * *", "--payload", "{"], /--payload is not valid JSON/],
      [[], /give the timing/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(["schedule", "add", "--name", "x", "--type", "noop", ...args], db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
    }
    const type = await runCli(["schedule", "add", "--name", "x", "--type", "nope", "--cron", "0 2 * * *"], db);
    expect(type.stderr).toMatch(/unknown job type "nope" \(known types: .*company.refresh.*noop/);
    const dup = await runCli(["schedule", "add", "--name", "taken", "--type", "noop", "--cron", "0 3 * * *"], db);
    expect([dup.code, oneLine(dup.stderr)]).toEqual([2, true]);
    expect(dup.stderr).toMatch(/a schedule named "taken" already exists/);
    const edit = await runCli(["schedule", "edit", "taken", "--days", "mon-funday"], db);
    expect([edit.code, oneLine(edit.stderr)]).toEqual([2, true]);
    expect(edit.stderr).toMatch(/invalid --days "mon-funday": unknown day name "funday"/);
    const nothing = await runCli(["schedule", "edit", "taken"], db);
    expect([nothing.code, oneLine(nothing.stderr)]).toEqual([2, true]);
    expect(nothing.stderr).toMatch(/nothing to change: give at least one of --name, .*--then, --then-payload, --owner$/m);
    expect((await runCli(["schedule", "edit", "taken", "--cron", "0 0 31 2 *"], db)).stderr).toMatch(/it never fires/);
    expect((await runCli(["schedule", "show", "missing"], db)).stderr).toMatch(/no schedule named "missing"/);
    expect(counts(db, ["schedule", "schedule_audit", "job", "schedule_fire"])).toEqual(before);
    expect(query(db, "select cron from schedule")).toEqual([{ cron: "0 2 * * *" }]);
  });

  it("a schedule last run three days ago catches up by its policy: coalesce, skip, all", async () => {
    const db = join(tempDir(), "catchup.db");
    await add(db, "coalesce", ["--cron", "0 2 * * *"]);
    await add(db, "skip", ["--cron", "0 2 * * *", "--misfire", "skip", "--grace", "1h"]);
    await add(db, "skip-8h", ["--cron", "0 2 * * *", "--misfire", "skip", "--grace", "8h"]);
    await add(db, "all", ["--cron", "0 2 * * *", "--misfire", "all", "--cap", "2"]);
    // Monday 02:00 runs on time; then the machine is off until Friday 08:02.
    const monday = await runJson(["enqueue", "--now", "2026-03-02T01:05:00Z"], db);
    expect(monday.schedules.map((s: { runs: unknown[] }) => s.runs.length)).toEqual([1, 1, 1, 1]);
    const friday = await runJson(["enqueue", "--now", "2026-03-06T07:02:00Z"], db);
    const by = Object.fromEntries(
      friday.schedules.map((s: { name: string; runs: Array<{ fireAt: string }>; missed: { count: number } | null }) => [
        s.name,
        { ran: s.runs.map((r) => r.fireAt), missed: s.missed?.count ?? 0 },
      ]),
    );
    expect(by).toEqual({
      coalesce: { ran: ["2026-03-06T01:00:00.000Z"], missed: 3 },
      skip: { ran: [], missed: 4 },
      "skip-8h": { ran: ["2026-03-06T01:00:00.000Z"], missed: 3 },
      all: { ran: ["2026-03-05T01:00:00.000Z", "2026-03-06T01:00:00.000Z"], missed: 2 },
    });

    const history = await runJson(["schedule", "history", "coalesce"], db);
    expect(history.catchUps[0]).toMatchObject({
      missed: 3,
      ran: 1,
      policy: "coalesce",
      firstMissedAt: "2026-03-03T01:00:00.000Z",
      lastMissedAt: "2026-03-05T01:00:00.000Z",
    });
    expect(history.catchUps[0].summary).toMatch(
      /^missed 3 runs \(Tue 2026-03-03 02:00 CET … Thu 2026-03-05 02:00 CET\) while `leadjobs enqueue` was not running \(machine off\?\), ran once at Fri 08:02 \(coalesce\)$/,
    );
    expect(history.fires.map((f: { kind: string; lateMs: number }) => f.kind)).toEqual(["run", "missed", "missed", "missed", "run"]);
    expect(history.fires[0].lateMs).toBeGreaterThanOrEqual(6 * 3_600_000 + 2 * 60_000);
    const text = await runCli(["schedule", "history", "all"], db);
    expect(text.stdout).toMatch(/missed 2 runs .* ran 2 times at Fri 08:02 \(all\)/);
    expect(text.stdout).toMatch(/over the catch-up cap of 2/);

    const status = await runJson(["status", "--now", "2026-03-06T07:10:00Z"], db);
    expect(status.schedules).toMatchObject({ active: 4, paused: 0, overdue: 0, missed24h: 12 });
    expect(status.schedules.lastTick.exitCode).toBe(0);
    // Processed, the runs show their outcome.
    expect((await runJson(["process"], db)).completed).toBe(8);
    const list = await runJson(["schedule", "list", "--now", "2026-03-06T07:10:00Z"], db);
    expect(
      list.schedules.map((s: { name: string; lastOutcome: string; totalRuns: number; missedRuns: number }) => [
        s.name,
        s.lastOutcome,
        s.totalRuns,
        s.missedRuns,
      ]),
    ).toEqual([
      ["all", "completed", 3, 2],
      ["coalesce", "completed", 2, 3],
      ["skip", "completed", 1, 4],
      ["skip-8h", "completed", 2, 3],
    ]);
  });

  it("a brand-new schedule never runs for fires before it was added; overdue shows in status --check", async () => {
    const db = join(tempDir(), "new.db");
    await runJson(["schedule", "add", "--name", "hourly", "--type", "noop", "--cron", "0 * * * *", "--now", "2026-03-01T10:30:00Z"], db);
    expect((await runJson(["enqueue", "--now", "2026-03-01T10:45:00Z"], db)).enqueued).toBe(0);
    expect((await runJson(["enqueue", "--now", "2026-03-01T09:00:00Z"], db)).enqueued).toBe(0);
    const r = await runJson(["enqueue", "--now", "2026-03-01T11:00:30Z"], db);
    expect(r.schedules[0].runs.map((x: { fireAt: string }) => x.fireAt)).toEqual(["2026-03-01T11:00:00.000Z"]);
    expect(r.schedules[0].missed).toBeNull();

    const check = await runCli(["status", "--check", "--now", "2026-03-01T12:30:00Z"], db);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/1 schedule\(s\) overdue by more than 15m: "hourly" \(due 30m ago\)/);
    const json = await runJson(["status", "--now", "2026-03-01T12:30:00Z"], db);
    expect(json.schedules.items[0]).toMatchObject({
      name: "hourly",
      nextFireAt: "2026-03-01T12:00:00.000Z",
      overdueMs: expect.any(Number),
    });
  });

  it("fires in Europe/Stockholm follow the DST policy through the tick", async () => {
    const db = join(tempDir(), "dst.db");
    await runJson(["schedule", "add", "--name", "half-two", "--type", "noop", "--cron", "30 2 * * *", "--now", "2026-03-28T12:00:00Z"], db);
    await runJson(["schedule", "add", "--name", "hourly", "--type", "noop", "--cron", "0 * * * *", "--now", "2026-03-28T12:00:00Z"], db);
    const spring = await runJson(["enqueue", "--now", "2026-03-29T01:05:00Z"], db);
    const fired = Object.fromEntries(
      spring.schedules.map((s: { name: string; runs: Array<{ fireAt: string }>; missed: { count: number } | null }) => [
        s.name,
        s.runs.map((r) => r.fireAt),
      ]),
    );
    expect(fired["half-two"]).toEqual(["2026-03-29T01:00:00.000Z"]); // 02:30 does not exist: 03:00 CEST
    expect(fired.hourly).toEqual(["2026-03-29T01:00:00.000Z"]);
    const preview = await runJson(["schedule", "preview", "--cron", "30 2 * * *", "--count", "2", "--now", "2026-03-28T12:00:00Z"], db);
    expect(preview.fires).toEqual([
      { at: "2026-03-29T01:00:00.000Z", local: "Sun 2026-03-29 03:00 CEST", movedByDst: true },
      { at: "2026-03-30T00:30:00.000Z", local: "Mon 2026-03-30 02:30 CEST", movedByDst: false },
    ]);
  });

  it("trigger runs a schedule now; metrics of its jobs add up; pause skips fires and resume does not make them up", async () => {
    const dir = tempDir();
    const db = join(dir, "trig.db");
    await runJson(["seed", "--companies", "50", "--tracked", "0"], db);
    // Without a website: the refresh records it as skipped and never goes to the network.
    const [company] = query<{ orgnr: string }>(db, "select orgnr from company where status = 'active' and website is null limit 1");
    await runJson(
      [
        "schedule",
        "add",
        "--name",
        "refresh-one",
        "--type",
        "company.refresh",
        "--payload",
        JSON.stringify({ orgnr: company?.orgnr }),
        "--cron",
        "0 6 * * *",
        "--now",
        CREATED,
        "--as",
        "anna",
      ],
      db,
    );
    // One live refresh per company (the type's dedupe key): each trigger's job runs before the next.
    const t1 = await runJson(["schedule", "trigger", "refresh-one", "--as", "bo"], db);
    expect((await runJson(["process"], db)).completed).toBe(1);
    await runJson(["schedule", "trigger", "refresh-one", "--as", "bo"], db);
    expect((await runJson(["process"], db)).completed).toBe(1);
    const show = await runJson(["schedule", "show", "refresh-one"], db);
    expect(show.schedule).toMatchObject({ totalRuns: 2, lastOutcome: "completed", metrics: { refreshSkipped: 2 } });
    expect(show.audit.filter((a: { action: string }) => a.action === "trigger")).toHaveLength(2);
    const history = await runJson(["schedule", "history", "refresh-one"], db);
    expect(history.fires[1]).toMatchObject({ kind: "trigger", actor: "bo", job: { id: t1.jobId, state: "completed", attempts: 1 } });

    await runJson(["schedule", "pause", "refresh-one", "--now", "2026-03-02T00:00:00Z"], db);
    expect((await runJson(["enqueue", "--now", "2026-03-02T06:00:00Z"], db)).enqueued).toBe(0);
    await runJson(["schedule", "resume", "refresh-one", "--now", "2026-03-03T12:00:00Z"], db);
    const after = await runJson(["enqueue", "--now", "2026-03-04T05:30:00Z"], db);
    expect(after.schedules).toMatchObject([{ name: "refresh-one", runs: [{ fireAt: "2026-03-04T05:00:00.000Z" }], missed: null }]);
  });

  it("a paused schedule has no next run: add, edit, show and list say so, in --json too", async () => {
    const db = join(tempDir(), "paused.db");
    const human = await runCli(
      ["schedule", "add", "--name", "later", "--type", "noop", "--cron", "0 2 * * *", "--paused", "--now", CREATED],
      db,
    );
    expect([human.code, human.stderr]).toEqual([0, ""]);
    expect(human.stdout).toMatch(/\(id 1, noop, paused\): at 02:00 every day \(Europe\/Stockholm\); next run - \(paused\)\n$/);
    const edited = await runCli(["schedule", "edit", "later", "--cron", "0 3 * * *", "--now", CREATED], db);
    expect(edited.stdout).toMatch(/next run - \(paused\)\n$/);
    expect(
      (await runJson(["schedule", "add", "--name", "later-too", "--type", "noop", "--at", "03:00", "--paused"], db)).nextFireAt,
    ).toBeNull();
    expect((await runJson(["schedule", "show", "later", "--now", CREATED], db)).schedule).toMatchObject({
      active: false,
      nextFireAt: null,
    });
    const list = await runJson(["schedule", "list", "--now", CREATED], db);
    expect(list.schedules.map((s: { nextFireAt: string | null }) => s.nextFireAt)).toEqual([null, null]);
    const resumed = await runJson(["schedule", "resume", "later", "--now", CREATED], db);
    expect(resumed.schedule).toMatchObject({ active: true, nextFireAt: "2026-03-02T02:00:00.000Z" });
    expect((await runJson(["schedule", "pause", "later", "--now", CREATED], db)).schedule.nextFireAt).toBeNull();
  });

  it("keeps the zone name given, not an older alias of it; a canonical name in any case is spelled as IANA does", async () => {
    const db = join(tempDir(), "zones.db");
    const zones: Array<[string, string]> = [
      ["Europe/Kyiv", "Europe/Kyiv"],
      ["Asia/Kolkata", "Asia/Kolkata"],
      ["Asia/Kathmandu", "Asia/Kathmandu"],
      ["America/Nuuk", "America/Nuuk"],
      ["Europe/Kiev", "Europe/Kiev"],
      ["europe/london", "Europe/London"],
    ];
    for (const [i, [given, kept]] of zones.entries()) {
      const added = await add(db, `z${i}`, ["--cron", "0 2 * * *", "--tz", given]);
      expect(added.timing.tz, given).toBe(kept);
    }
    const human = await runCli(["schedule", "show", "z0"], db);
    expect(human.stdout).toContain("at 02:00 every day (0 2 * * *, Europe/Kyiv)");
    const preview = await runJson(
      ["schedule", "preview", "--cron", "0 2 * * *", "--tz", "Asia/Kolkata", "--count", "1", "--now", CREATED],
      db,
    );
    expect(preview).toMatchObject({ tz: "Asia/Kolkata", fires: [{ at: "2026-03-01T20:30:00.000Z" }] });
    const edited = await runJson(["schedule", "edit", "z5", "--tz", "America/Nuuk"], db);
    expect(edited.changes.tz).toEqual(["Europe/London", "America/Nuuk"]);
  });

  it("enqueue --dry-run writes nothing; a payload that no longer validates is recorded as missed and exits 1", async () => {
    const db = join(tempDir(), "dry.db");
    await add(db, "a", ["--cron", "*/5 * * * *"]);
    await add(db, "b", ["--cron", "0 * * * *"]);
    const tables = ["job", "schedule_fire", "command_run", "schedule_audit"];
    const before = counts(db, tables);
    const schedulesBefore = query(db, "select * from schedule");
    const dry = await runCli(["enqueue", "--dry-run", "--now", "2026-03-01T13:01:00Z"], db);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/schedule a \(noop\): would enqueue 1 run .* missed 11 \(/);
    expect(dry.stdout).toMatch(/dry run, nothing written/);
    expect(counts(db, tables)).toEqual(before);
    expect(query(db, "select * from schedule")).toEqual(schedulesBefore);

    writeSync(db, "update schedule set payload = '{\"sleepMs\":\"soon\"}' where name = 'b'");
    const r = await runCli(["enqueue", "--json", "--now", "2026-03-01T13:01:00Z"], db);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/schedule "b": cannot enqueue noop: invalid payload for noop: sleepMs/);
    const report = JSON.parse(r.stdout);
    expect(report.schedules.find((s: { name: string }) => s.name === "a").runs).toHaveLength(1);
    expect(query(db, "select kind, reason from schedule_fire where schedule_id = 2")).toEqual([
      { kind: "missed", reason: expect.stringMatching(/^cannot enqueue noop: invalid payload/) },
    ]);

    // The catch-up names why runs were missed: the tick ran, the payload did not validate.
    const history = await runCli(["schedule", "history", "b"], db);
    expect(history.stdout).toMatch(
      / {2}missed 1 run \(.*\) that could not be enqueued \(cannot enqueue noop: invalid payload for noop: sleepMs.*\), ran nothing \(coalesce\)\n/,
    );
    expect(history.stdout).not.toMatch(/machine off/);
    // Three hours without a tick, then one: two runs late, the latest one not enqueued.
    expect((await runCli(["enqueue", "--now", "2026-03-01T16:01:00Z"], db)).code).toBe(1);
    const later = await runJson(["schedule", "history", "b"], db);
    expect(later.catchUps[0]).toMatchObject({
      missed: 3,
      failed: 1,
      error: expect.stringMatching(/^cannot enqueue noop: invalid payload/),
    });
    expect(later.catchUps[0].summary).toMatch(
      /^missed 3 runs \(.*\): 2 while `leadjobs enqueue` was not running \(machine off\?\), 1 that could not be enqueued \(cannot enqueue noop: .*\), ran nothing \(coalesce\)$/,
    );
    const status = await runJson(["status", "--now", "2026-03-01T16:02:00Z"], db);
    expect(status.schedules.items.find((i: { name: string }) => i.name === "b").lastCatchUp).toMatchObject({ missed: 3, failed: 1 });
  });

  it("enqueue returns expired leases to the queue", async () => {
    const db = join(tempDir(), "rescue.db");
    await runJson(["jobs", "add", "noop"], db);
    writeSync(
      db,
      "update job set state = 'running', attempts = 1, lease_owner = 'elsewhere:77', lease_token = 1, lease_expires_at = '2026-01-01T00:00:00.000Z', claimed_at = '2026-01-01T00:00:00.000Z' where id = 1",
    );
    const r = await runCli(["enqueue", "--json"], db);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rescued).toBe(1);
    expect(r.stderr).toMatch(/job 1 \(noop\) lost: worker elsewhere:77 stopped/);
    expect(query(db, "select state from job")).toEqual([{ state: "pending" }]);
  });

  it("enqueue --now in the future leaves the leases of live workers alone: they expire on the real clock", async () => {
    const db = join(tempDir(), "future.db");
    await runJson(["jobs", "add", "noop"], db);
    const expires = new Date(Date.now() + 600_000).toISOString();
    writeSync(
      db,
      "update job set state = 'running', attempts = 1, lease_owner = 'elsewhere:77', lease_token = 1, lease_expires_at = ? where id = 1",
      expires,
    );
    const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect(await runJson(["enqueue", "--now", later], db)).toMatchObject({ rescued: 0 });
    expect(query(db, "select state, lease_owner from job")).toEqual([{ state: "running", lease_owner: "elsewhere:77" }]);
  });
});
