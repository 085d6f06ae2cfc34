import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson, scheduleAddArgs } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// A schedule or a waiting job names a terminal or brand by name: a rename must carry it along,
// and a removal must not leave it to fail at its next run.

const payloadOf = (db: string, table: "schedule" | "job", where: string) =>
  JSON.parse(query<{ payload: string }>(db, `select payload from ${table} where ${where}`)[0]?.payload ?? "null");
const TABLES = ["terminal", "lead", "schedule", "schedule_audit", "job", "brand", "audit_log"];

describe("renames reach schedules and waiting jobs; removals wait for them", { timeout: 300_000 }, () => {
  it("terminals rename rewrites names (not ids) in schedules and unfinished jobs; terminals rm is refused while one names it", async () => {
    const db = join(tempDir(), "terminals.db");
    await runJson(["terminals", "add", "Göteborg Terminal"], db);
    await runJson(["terminals", "add", "Riks Terminal", "--default"], db);
    await runJson(scheduleAddArgs("väst-analys", "leads.analyze", { selector: { terminal: "göteborg" } }), db);
    await runJson(scheduleAddArgs("väst-webb", "web.batch", { analysis: "tech_analysis", select: { terminal: "1" } }), db);
    await runJson(scheduleAddArgs("riks-analys", "leads.analyze", { selector: { terminal: "Riks Terminal" } }), db);
    const job = (
      await runJson(["jobs", "add", "leads.search", "--payload", JSON.stringify({ assign_to_terminal: "Göteborg Terminal" })], db)
    ).jobs[0];

    const r = await runJson(["terminals", "rename", "Göteborg Terminal", "Väst Terminal"], db);
    expect(r).toMatchObject({ changed: true, schedules: ["väst-analys"], jobs: [job.id] });
    expect(payloadOf(db, "schedule", "name = 'väst-analys'").selector.terminal).toBe("Väst Terminal");
    expect(payloadOf(db, "schedule", "name = 'väst-webb'").select.terminal).toBe("1");
    expect(payloadOf(db, "schedule", "name = 'riks-analys'").selector.terminal).toBe("Riks Terminal");
    expect(payloadOf(db, "job", `id = ${job.id}`).assign_to_terminal).toBe("Väst Terminal");
    expect(query(db, "select count(*) as n from schedule_audit where schedule_name = 'väst-analys' and action = 'edit'")).toEqual([
      { n: 1 },
    ]);

    const human = await runCli(["terminals", "rename", "Väst Terminal", "Västra Terminalen"], db);
    expect(human.stdout.trim()).toBe(
      'renamed terminal 1 "Väst Terminal" to "Västra Terminalen" (also renamed in schedule "väst-analys" and 1 unfinished job)',
    );

    const before = counts(db, TABLES);
    const refused = await runCli(["terminals", "rm", "Västra Terminalen", "--reassign-to", "riks"], db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/terminal "Västra Terminalen" is named by schedules "väst-analys", "väst-webb"/);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(counts(db, TABLES)).toEqual(before);

    for (const name of ["väst-analys", "väst-webb"]) await runJson(["schedule", "rm", name], db);
    const waiting = await runCli(["terminals", "rm", "Västra Terminalen"], db);
    expect(waiting.code).toBe(2);
    expect(waiting.stderr).toMatch(new RegExp(`is named by unfinished job ${job.id} \\(let them finish or cancel them first`));
    await runJson(["jobs", "cancel", String(job.id)], db);
    expect((await runCli(["terminals", "rm", "Västra Terminalen"], db)).code).toBe(0);
  });

  it("a brand's new name reaches its schedules; brands rm is refused while a schedule names it", async () => {
    const db = join(tempDir(), "brands.db");
    await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB"], db);
    await runJson(scheduleAddArgs("budbee-poäng", "brand.score", { brand: "budbee" }), db);
    await runJson(scheduleAddArgs("budbee-id", "scoring", { brand: 1 }), db);
    const r = await runJson(["brands", "edit", "Budbee", "--name", "Budbee Sverige"], db);
    expect(r).toMatchObject({ changed: ["name"], schedules: ["budbee-poäng"], jobs: [] });
    expect(payloadOf(db, "schedule", "name = 'budbee-poäng'").brand).toBe("Budbee Sverige");
    expect(payloadOf(db, "schedule", "name = 'budbee-id'").brand).toBe(1);

    const before = counts(db, TABLES);
    const refused = await runCli(["brands", "rm", "Budbee Sverige"], db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/brand "Budbee Sverige" is named by schedules "budbee-id", "budbee-poäng"/);
    expect(counts(db, TABLES)).toEqual(before);
  });
});
