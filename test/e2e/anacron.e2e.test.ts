import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";
import { adaptExample, findProgram, installWrapper, requireTools } from "../helpers/system.ts";

// Debian's real anacron runs anacrontab.example with a private spool directory while faketime
// moves the date (../shared recipe anacron-ci.sh). leadjobs, under the same fake clock, catches
// up the daily schedule the machine missed while it was "off".
// anacron is in /usr/sbin, which a user's PATH may lack: run the programs found.
const program = (name: string) => findProgram(name) ?? name;

describe("anacrontab.example under Debian anacron", () => {
  beforeEach(requireTools(["anacron", "faketime", "flock"]));

  it("the daily line catches up once after days off", async () => {
    const dir = tempDir("leadjobs-anacron-");
    const db = join(dir, "anacron.db");
    const spool = join(dir, "spool");
    mkdirSync(spool);
    const tab = join(dir, "anacrontab");
    writeFileSync(tab, adaptExample("anacrontab.example", { binDir: installWrapper(dir), db }));
    expect(spawnSync(program("anacron"), ["-T", "-t", tab]).status, "anacrontab syntax").toBe(0);
    await runJson(
      [
        "schedule",
        "add",
        "--name",
        "daily-report",
        "--type",
        "noop",
        "--cron",
        "0 2 * * *",
        "--now",
        "2026-03-01T12:00:00Z",
        "--as",
        "anna",
      ],
      db,
    );

    const anacron = (day: string) => {
      const r = spawnSync(program("faketime"), [day, program("anacron"), "-t", tab, "-S", spool, "-d", "-n", "-q"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: dir, TZ: "UTC" },
        timeout: 60_000,
      });
      expect(r.status, `anacron on ${day}: ${r.stderr}`).toBe(0);
    };
    const stamp = () => readFileSync(join(spool, "leadjobs.catchup"), "utf8").trim();
    const ticks = () => query<{ n: number }>(db, "select count(*) n from command_run where command = 'enqueue'")[0]?.n;

    anacron("2026-03-02 08:00:00");
    expect(stamp()).toBe("20260302");
    expect(query(db, "select kind, fire_at from schedule_fire")).toEqual([{ kind: "run", fire_at: "2026-03-02T01:00:00.000Z" }]);
    expect(query(db, "select state from job where schedule_id is not null")).toEqual([{ state: "completed" }]);

    anacron("2026-03-02 20:00:00"); // same day: anacron does not run it again
    expect(ticks()).toBe(1);

    anacron("2026-03-06 08:00:00"); // off for three days: one catch-up
    expect(stamp()).toBe("20260306");
    expect(ticks()).toBe(2);
    const history = await runJson(["schedule", "history", "daily-report"], db);
    expect(history.catchUps).toHaveLength(1);
    expect(history.catchUps[0]).toMatchObject({
      missed: 3,
      ran: 1,
      policy: "coalesce",
      recordedAt: expect.stringMatching(/^2026-03-06T08:0/),
    });
    expect(history.catchUps[0].summary).toMatch(
      /^missed 3 runs \(Tue 2026-03-03 02:00 CET … Thu 2026-03-05 02:00 CET\) .* ran once at Fri 09:0\d \(coalesce\)$/,
    );
    expect(query(db, "select state, count(*) n from job where schedule_id is not null group by state")).toEqual([
      { state: "completed", n: 2 },
    ]);
    expect(readFileSync(join(dir, ".leadjobs-anacron.log"), "utf8")).toBe(""); // quiet on success
  }, 120_000);
});
