import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts } from "../helpers/query.ts";
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
});
