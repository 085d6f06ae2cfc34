import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const CREATED = "2026-03-01T12:00:00Z";

async function add(db: string, name: string, args: string[]) {
  return runJson(["schedule", "add", "--name", name, "--type", "noop", ...args, "--now", CREATED, "--as", "anna"], db);
}

describe("schedule identity", () => {
  it("ids are never reused; a removed schedule's audit trail stays readable with show --removed", async () => {
    const db = join(tempDir(), "ids.db");
    await add(db, "first", ["--cron", "0 2 * * *"]);
    const old = await add(db, "nightly", ["--cron", "0 3 * * *"]);
    await runJson(["schedule", "edit", "nightly", "--cron", "0 4 * * *", "--as", "carl"], db);
    await runJson(["schedule", "trigger", "nightly"], db);
    await runJson(["schedule", "rm", "nightly", "--as", "bo"], db);

    const fresh = await add(db, "nightly", ["--cron", "0 5 * * *"]);
    expect(fresh.id).toBeGreaterThan(old.id);
    const show = await runJson(["schedule", "show", "nightly"], db);
    expect(show.audit.map((a: { action: string }) => a.action)).toEqual(["add"]);
    expect(show.schedule.totalRuns).toBe(0);

    // the removed one's trail, by id and by name
    const byId = await runJson(["schedule", "show", "--removed", String(old.id)], db);
    expect(byId.removed).toMatchObject({ id: old.id, name: "nightly", removedBy: "bo", definition: { cron: "0 4 * * *", type: "noop" } });
    expect(byId.removed.audit.map((a: { action: string }) => a.action)).toEqual(["rm", "trigger", "edit", "add"]);
    const byName = await runJson(["schedule", "show", "nightly", "--removed"], db);
    expect(byName.removed.id).toBe(old.id);
    const human = await runCli(["schedule", "show", "--removed", "nightly"], db);
    expect([human.code, human.stderr]).toEqual([0, ""]);
    expect(human.stdout).toContain(`removed schedule nightly (id ${old.id})`);
    const never = await runCli(["schedule", "show", "--removed", "first"], db);
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/no removed schedule named "first"/);

    // removing the newest schedule does not hand its id out again either
    await runJson(["schedule", "rm", "nightly"], db);
    const third = await add(db, "again", ["--cron", "0 6 * * *"]);
    expect(third.id).toBeGreaterThan(fresh.id);
    expect(query(db, "select last_id from schedule_id_high_water")).toEqual([{ last_id: third.id }]);
  });

  it("edit --at keeps the days; --days keeps the time", async () => {
    const db = join(tempDir(), "at.db");
    await add(db, "weekend", ["--at", "08:00", "--days", "weekends"]);
    const at = await runJson(["schedule", "edit", "weekend", "--at", "21:00"], db);
    expect(at.schedule.timing).toMatchObject({ at: "21:00", days: "weekends", cron: "0 21 * * 0,6" });
    const days = await runJson(["schedule", "edit", "weekend", "--days", "mon,fri"], db);
    expect(days.schedule.timing).toMatchObject({ at: "21:00", days: "mon,fri" });

    // A cron schedule keeps its day fields: only its minute and hour change.
    await add(db, "workdays", ["--cron", "0 9 * * 1-5"]);
    const cron = await runJson(["schedule", "edit", "workdays", "--at", "08:00"], db);
    expect(cron.changes).toEqual({ cron: ["0 9 * * 1-5", "0 8 * * 1-5"] });
    expect(cron.schedule.timing).toMatchObject({ cron: "0 8 * * 1-5", at: null, days: null });
    await add(db, "month-end", ["--cron", "@monthly"]);
    const macro = await runJson(["schedule", "edit", "month-end", "--at", "18:30"], db);
    expect(macro.schedule.timing.cron).toBe("30 18 1 * *");

    // One that runs at several times a day has no one time to move: refused, nothing changed.
    await add(db, "office-hours", ["--cron", "*/15 9-17 * * 1-5"]);
    const several = await runCli(["schedule", "edit", "office-hours", "--at", "08:00"], db);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--at alone keeps the days of cron "\*\/15 9-17 \* \* 1-5" only when it runs once a day/);
    expect(several.stderr.trim().split("\n")).toHaveLength(1);
    expect((await runJson(["schedule", "show", "office-hours"], db)).schedule.timing.cron).toBe("*/15 9-17 * * 1-5");
  });

  it("accepts Swedish names and finds a schedule by name, slug or id", async () => {
    const db = join(tempDir(), "sv.db");
    const name = "Nattlig sökning – Logistikföretag Stockholm";
    const added = await add(db, name, ["--at", "02:00"]);
    expect(added).toMatchObject({ name, slug: "nattlig-sokning-logistikforetag-stockholm" });
    const human = await runCli(["schedule", "add", "--name", "Städning är kul", "--type", "noop", "--at", "03:00"], db);
    expect([human.code, human.stderr]).toEqual([0, ""]);
    expect(human.stdout).toContain("`stadning-ar-kul` on the command line");
    for (const ref of [name, "nattlig-sokning-logistikforetag-stockholm", String(added.id)]) {
      expect((await runJson(["schedule", "show", ref], db)).schedule.id).toBe(added.id);
    }
    const renamed = await runJson(
      ["schedule", "edit", "nattlig-sokning-logistikforetag-stockholm", "--name", "Nattlig sökning – Göteborg"],
      db,
    );
    expect(renamed.schedule.slug).toBe("nattlig-sokning-goteborg");
    const bad: Array<[string, RegExp]> = [
      ["tab\there", /printable characters only/],
      [" space", /no spaces at the start or end/],
      ["2026", /not only digits/],
      ["– –", /use at least one Latin letter or digit/],
      // The slug keeps Latin letters and digits only: a name with none has no command-line form.
      [
        "日本語",
        /^leadjobs: invalid schedule name "日本語": use at least one Latin letter or digit \(a-z, 0-9, accented letters too\): the command line takes a schedule by its slug, made of those/,
      ],
      ["x".repeat(65), /1-64 characters/],
      ["NATTLIG SÖKNING – GÖTEBORG", /too close to schedule "Nattlig sökning – Göteborg"/],
    ];
    for (const [n, message] of bad) {
      const r = await runCli(["schedule", "add", "--name", n, "--type", "noop", "--at", "02:00"], db);
      expect(r.code, n).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(query(db, "select count(*) as n from schedule")).toEqual([{ n: 2 }]);
    expect((await runJson(["schedule", "add", "--name", "Rapport 日本語", "--type", "noop", "--at", "02:00"], db)).slug).toBe("rapport");
  });
});
