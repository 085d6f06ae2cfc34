import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// A company's refresh key (company.refresh:ORGNR) belongs to company.refresh jobs: `jobs add`
// refuses it to another type, and the tick says which company a job of another type blocks.

const NOW = "2026-11-02T08:00:00.000Z";
const orgnr = (n: number) => withCheckDigit(`55${String(8000000 + n).padStart(7, "0")}`);

async function trackedDb(n: number): Promise<string> {
  const db = join(tempDir(), "owner.db");
  await createDb(db);
  for (let i = 1; i <= n; i++) {
    writeSync(db, "insert into company (orgnr, name, created_at, updated_at) values (?, ?, ?, ?)", orgnr(i), `Bolag ${i} AB`, NOW, NOW);
    await runJson(["track", orgnr(i), "--rank", String(90 - i)], db);
  }
  return db;
}

const liveRefreshes = (db: string) =>
  query<{ dedupe_key: string }>(db, "select dedupe_key from job where type = 'company.refresh' and state = 'pending' order by dedupe_key");

describe("the refresh key belongs to company.refresh", () => {
  it("jobs add refuses it to a job of another type, with one line and nothing written", async () => {
    const db = await trackedDb(1);
    const a = orgnr(1);
    for (const key of [`company.refresh:${a}`, "invoice.pdf:7"]) {
      const r = await runCli(["jobs", "add", "noop", "--dedupe-key", key], db);
      expect([r.code, r.stdout], key).toEqual([2, ""]);
      expect(r.stderr.trim().split("\n"), key).toEqual([
        expect.stringMatching(
          new RegExp(`^leadjobs: dedupe key "${key}" is ${key.split(":")[0]}'s: keys .*:… belong to .* jobs \\(choose another key\\)$`),
        ),
      ]);
    }
    expect(counts(db, ["job"])).toEqual({ job: 0 });
    // Keys of other forms are the user's: a type that declares none, or none at all.
    expect((await runJson(["jobs", "add", "noop", "--dedupe-key", "leads.search:x"], db)).created).toBe(1);
    expect((await runJson(["jobs", "add", "noop", "--dedupe-key", "nightly"], db)).created).toBe(1);

    // A refresh added by hand carries the company's key: the tick does not add a second one.
    const payload = JSON.stringify({ orgnr: a });
    const first = await runJson(["jobs", "add", "company.refresh", "--payload", payload], db);
    const again = await runCli(["jobs", "add", "company.refresh", "--payload", payload], db);
    expect(again.stdout).toBe(`company.refresh job ${first.jobs[0].id} is already queued with dedupe key "company.refresh:${a}"\n`);
    const own = await runCli(["jobs", "add", "company.refresh", "--payload", payload, "--dedupe-key", `company.refresh:${a}`], db);
    expect(own.stdout).toBe(again.stdout);
    const other = await runCli(["jobs", "add", "company.refresh", "--payload", payload, "--dedupe-key", "mine"], db);
    expect([other.code, other.stdout, other.stderr]).toEqual([
      2,
      "",
      `leadjobs: dedupe key "mine": company.refresh jobs carry their own, "company.refresh:${a}" for this payload (leave out --dedupe-key)\n`,
    ]);
    const tick = await runJson(["enqueue"], db);
    expect(tick.refresh).toMatchObject({ due: 0, enqueued: 0, blocked: [] });
    expect(liveRefreshes(db)).toEqual([{ dedupe_key: `company.refresh:${a}` }]);
  });

  it("the tick names a company whose key a job of another type holds: stderr, exit 1, until that job ends", async () => {
    const db = await trackedDb(2);
    const [a, b] = [orgnr(1), orgnr(2)];
    // A job made before keys were owned (jobs add refuses this now).
    const held = await runJson(["jobs", "add", "noop", "--dedupe-key", "old-key"], db);
    const holder = held.jobs[0].id as number;
    writeSync(db, "update job set dedupe_key = ? where id = ?", `company.refresh:${a}`, holder);

    const message = `[warn] company ${a}: refresh not enqueued: its key company.refresh:${a} is held by job ${holder} (noop); let it finish or cancel it (leadjobs jobs cancel ${holder})\n`;
    const tick = await runCli(["enqueue"], db); // as cron runs it: no TTY
    expect([tick.code, tick.stdout, tick.stderr]).toEqual([1, "", message]);
    expect(liveRefreshes(db)).toEqual([{ dedupe_key: `company.refresh:${b}` }]);

    // Nothing else is due now; the tick still says it, and --json lists the company.
    const again = await runCli(["enqueue"], db);
    expect([again.code, again.stdout, again.stderr]).toEqual([1, "", message]);
    const json = await runCli(["enqueue", "--json"], db);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).refresh).toMatchObject({ due: 0, enqueued: 0, blocked: [{ orgnr: a, jobId: holder, jobType: "noop" }] });
    const runs = query<{ exit_code: number; summary: string }>(
      db,
      "select exit_code, summary from command_run where command = 'enqueue' order by id",
    );
    expect(runs.map((r) => [r.exit_code, JSON.parse(r.summary).refresh.blocked])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);

    // --refresh-cap 0 asks for no refresh: nothing failed.
    expect((await runCli(["enqueue", "--refresh-cap", "0"], db)).code).toBe(0);

    await runJson(["jobs", "cancel", String(holder)], db);
    const freed = await runCli(["enqueue"], db);
    expect([freed.code, freed.stdout, freed.stderr]).toEqual([0, "", ""]);
    expect(liveRefreshes(db)).toEqual(
      [{ dedupe_key: `company.refresh:${a}` }, { dedupe_key: `company.refresh:${b}` }].sort((x, y) =>
        x.dedupe_key.localeCompare(y.dedupe_key),
      ),
    );
  });

  it("a schedule whose run would take a key held by a job of another type misses that run, with the reason; the tick goes on", async () => {
    const db = await trackedDb(1);
    const a = orgnr(1);
    const at = "2026-12-07T09:00:00Z";
    const add = (name: string, type: string, payload: object) =>
      runJson(
        ["schedule", "add", "--name", name, "--type", type, "--payload", JSON.stringify(payload), "--cron", "0 * * * *", "--now", at],
        db,
      );
    await add("refresh-a", "company.refresh", { orgnr: a });
    await add("hourly", "noop", {});
    const held = await runJson(["jobs", "add", "noop", "--dedupe-key", "old-key"], db);
    const holder = held.jobs[0].id as number;
    writeSync(db, "update job set dedupe_key = ? where id = ?", `company.refresh:${a}`, holder);

    const tick = await runCli(["enqueue", "--now", "2026-12-07T10:00:30Z", "--refresh-cap", "0"], db);
    const reason = `cannot enqueue company.refresh: its dedupe key "company.refresh:${a}" is held by job ${holder} (noop); let it finish or cancel it`;
    expect([tick.code, tick.stdout, tick.stderr]).toEqual([1, "", `[warn] schedule "refresh-a": ${reason}\n`]);
    const history = await runJson(["schedule", "history", "refresh-a"], db);
    expect(history.fires).toMatchObject([{ kind: "missed", reason }]);
    expect((await runJson(["schedule", "show", "hourly"], db)).schedule.totalRuns).toBe(1);
    expect(query(db, "select type from job where state = 'pending' order by id")).toEqual([{ type: "noop" }, { type: "noop" }]);
  });
});
