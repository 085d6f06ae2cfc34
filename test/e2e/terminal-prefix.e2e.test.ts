import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

/** A database with two terminals and one lead (without a website: run-batch skips it, nothing is fetched). */
async function terminalsDb(): Promise<string> {
  const dir = tempDir();
  const db = join(dir, "terminals.db");
  const csv = join(dir, "companies.csv");
  writeFileSync(csv, "orgnr,name,status\n556016-0680,Prefix Logistik AB,active\n");
  await runJson(["companies", "import", csv], db);
  await runJson(["terminals", "add", "Stockholm City"], db);
  await runJson(["terminals", "add", "Göteborg Terminal"], db);
  await runJson(["leads", "add", "556016-0680", "--terminal", "Stockholm City"], db);
  return db;
}

describe("--terminal takes the same names in leads list and run-batch", () => {
  it("a unique prefix: both select the terminal's leads", async () => {
    const db = await terminalsDb();
    const listed = await runJson<{ count: number }>(["leads", "list", "--terminal", "stockholm"], db);
    expect(listed.count).toBe(1);
    const r = await runCli(["run-batch", "--type", "tech_analysis", "--terminal", "stockholm", "--json"], db);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(counts(db, ["web_batch_item"])).toEqual({ web_batch_item: 1 });
  });

  it("an ambiguous prefix: one line naming the candidates, exit 2, nothing written", async () => {
    const db = await terminalsDb();
    await runJson(["terminals", "add", "Stockholm Syd"], db);
    for (const args of [
      ["leads", "list", "--terminal", "stockholm"],
      ["run-batch", "--type", "tech_analysis", "--terminal", "stockholm"],
      ["run-batch", "--type", "tech_analysis", "--terminal", "stockholm", "--enqueue"],
    ]) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toEqual(['leadjobs: terminal "stockholm" is ambiguous: "Stockholm City", "Stockholm Syd"']);
    }
    expect(counts(db, ["web_batch", "job"])).toEqual({ web_batch: 0, job: 0 });
  });

  it("names: only digits, or another's name in other case, are refused; older clashes are not guessed", async () => {
    const db = await terminalsDb(); // 1 "Stockholm City", 2 "Göteborg Terminal"
    for (const [args, message] of [
      [["terminals", "add", "1"], 'leadjobs: invalid terminal name "1": only digits (they name a terminal by its id)'],
      [["terminals", "add", "göteborg terminal"], 'leadjobs: terminal "Göteborg Terminal" exists already (id 2)'],
      [
        ["terminals", "rename", "Stockholm City", " 2 "],
        'leadjobs: invalid terminal name "2": only digits (they name a terminal by its id)',
      ],
    ] as const) {
      const r = await runCli([...args], db);
      expect([r.code, r.stderr], args.join(" ")).toEqual([2, `${message}\n`]);
    }
    expect(query(db, "select id, name from terminal order by id")).toEqual([
      { id: 1, name: "Stockholm City" },
      { id: 2, name: "Göteborg Terminal" },
    ]);
    // Terminals named before this was refused: the id and the exact spelling decide, or exit 2.
    writeSync(db, "insert into terminal (id, name, is_default, created_at) values (3, '1', 0, '2026-01-01T00:00:00.000Z')");
    writeSync(db, "insert into terminal (id, name, is_default, created_at) values (4, 'göteborg terminal', 0, '2026-01-01T00:00:00.000Z')");
    const rm = await runCli(["terminals", "rm", "1"], db);
    expect([rm.code, rm.stderr.split("\n")[0]]).toEqual([
      2,
      'leadjobs: terminal "1" is ambiguous: "Stockholm City" (id 1), "1" (id 3) (rename one of them with `leadjobs terminals rename ID NEW`)',
    ]);
    const lower = await runJson(["terminals", "edit", "göteborg terminal", "--description", "gamla"], db);
    expect(lower).toMatchObject({ id: 4 });
    const other = await runCli(["terminals", "edit", "GÖTEBORG TERMINAL", "--description", "x"], db);
    expect([other.code, other.stderr]).toEqual([
      2,
      'leadjobs: terminal "GÖTEBORG TERMINAL" is ambiguous: "Göteborg Terminal" (id 2), "göteborg terminal" (id 4) (rename one of them with `leadjobs terminals rename ID NEW`)\n',
    ]);
    expect(counts(db, ["terminal"])).toEqual({ terminal: 4 });
  });
});
