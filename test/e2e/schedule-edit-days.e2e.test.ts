import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

// `schedule edit --days` on a schedule given as a cron expression: the time stays, the days change.

const NOW = "2026-03-20T12:00:00Z"; // a Friday, nine days before Stockholm springs forward

async function add(db: string, name: string, cron: string, now = NOW) {
  return runJson(["schedule", "add", "--name", name, "--type", "noop", "--cron", cron, "--now", now], db);
}

async function fires(db: string, name: string, now: string, count: number): Promise<string[]> {
  const preview = await runJson(["schedule", "preview", name, "--count", String(count), "--now", now], db);
  return preview.fires.map((f: { local: string }) => f.local);
}

describe("schedule edit --days on a cron schedule", () => {
  it("keeps the time and changes only the day of week; the next runs follow the DST policy", async () => {
    const db = join(tempDir(), "days.db");
    await add(db, "nightly", "30 2 * * *");
    const edit = await runCli(["schedule", "edit", "nightly", "--days", "sun", "--now", NOW], db);
    expect([edit.code, edit.stderr]).toEqual([0, ""]);
    expect(edit.stdout).toBe(
      'changed schedule nightly: cron "30 2 * * *" → "30 2 * * 0"\n' +
        "  at 02:30 on Sundays (Europe/Stockholm); next run Sun 2026-03-22 02:30 CET\n",
    );
    // 02:30 does not exist on 29 March: the run moves to the end of the gap.
    expect(await fires(db, "nightly", NOW, 3)).toEqual([
      "Sun 2026-03-22 02:30 CET",
      "Sun 2026-03-29 03:00 CEST",
      "Sun 2026-04-05 02:30 CEST",
    ]);

    // A range of days (Swedish names too), wrapping past Sunday; autumn's doubled 02:30 runs once.
    const autumn = "2026-10-21T12:00:00Z";
    const weekend = await runJson(["schedule", "edit", "nightly", "--days", "lör-sön", "--now", autumn], db);
    expect(weekend.changes).toEqual({ cron: ["30 2 * * 0", "30 2 * * 0,6"] });
    expect(weekend.schedule.timing).toMatchObject({ cron: "30 2 * * 0,6", at: null, days: null, description: "at 02:30 on weekends" });
    expect(await fires(db, "nightly", autumn, 3)).toEqual([
      "Sat 2026-10-24 02:30 CEST",
      "Sun 2026-10-25 02:30 CEST",
      "Sat 2026-10-31 02:30 CET",
    ]);

    const workdays = await runJson(["schedule", "edit", "nightly", "--days", "mon-fri", "--now", autumn], db);
    expect(workdays.schedule.timing.cron).toBe("30 2 * * 1-5");
    expect(workdays.schedule.nextFireAt).toBe("2026-10-22T00:30:00.000Z"); // Thu 02:30 CEST
  });

  it("keeps the other fields: several times a day, a month range, a macro", async () => {
    const db = join(tempDir(), "fields.db");
    await add(db, "office-hours", "*/15 9-17 * * *");
    await add(db, "summer", "0 9 * 6-8 *");
    await add(db, "midnight", "@daily");
    await add(db, "hourly", "0 * * * *");
    expect((await runJson(["schedule", "edit", "office-hours", "--days", "weekdays"], db)).schedule.timing.cron).toBe("*/15 9-17 * * 1-5");
    expect((await runJson(["schedule", "edit", "summer", "--days", "mon,wed,fri"], db)).schedule.timing.cron).toBe("0 9 * 6-8 1,3,5");
    expect((await runJson(["schedule", "edit", "midnight", "--days", "weekends"], db)).schedule.timing.cron).toBe("0 0 * * 0,6");
    // An hourly schedule keeps its real-time interval across the spring gap.
    expect((await runJson(["schedule", "edit", "hourly", "--days", "sun", "--now", NOW], db)).schedule.timing.cron).toBe("0 * * * 0");
    expect((await fires(db, "hourly", "2026-03-28T23:30:00Z", 3)).slice(0, 3)).toEqual([
      "Sun 2026-03-29 01:00 CET",
      "Sun 2026-03-29 03:00 CEST",
      "Sun 2026-03-29 04:00 CEST",
    ]);
  });

  it("--at with --days turns a cron schedule into the simple form", async () => {
    const db = join(tempDir(), "both.db");
    await add(db, "report", "0 9 1 * *");
    const both = await runJson(["schedule", "edit", "report", "--at", "08:15", "--days", "mon,wed", "--now", NOW], db);
    expect(both.schedule.timing).toMatchObject({ cron: "15 8 * * 1,3", at: "08:15", days: "mon,wed" });
    expect(both.schedule.nextFireAt).toBe("2026-03-23T07:15:00.000Z");
  });

  it("refuses, with one line and nothing changed, days that cron cannot combine with the day of month", async () => {
    const db = join(tempDir(), "refused.db");
    await add(db, "month-start", "0 9 1 * *");
    await add(db, "first-week", "0 9 1-7 * *");
    for (const name of ["month-start", "first-week"]) {
      const r = await runCli(["schedule", "edit", name, "--days", "mon-fri"], db);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(
        /^leadjobs: --days alone keeps the time of cron "0 9 1(-7)? \* \*" only when it runs on any day of the month/,
      );
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
    const bad = await runCli(["schedule", "edit", "month-start", "--days", "mon-funday"], db);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringMatching(/unknown day name "funday"/)]);
    const show = await runJson(["schedule", "show", "month-start"], db);
    expect(show.schedule.timing.cron).toBe("0 9 1 * *");
    expect(show.audit.map((a: { action: string }) => a.action)).toEqual(["add"]);
  });
});
