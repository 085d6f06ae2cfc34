import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

// `jobs list` filtered the way the seed's admin page does: by brand, customer, schedule, state, age.
describe("jobs list --brand --customer --schedule --state --since", () => {
  it("filters by what the jobs are for, and refuses unknown names with one line, exit 2", async () => {
    const db = join(tempDir(), "filters.db");
    await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB"], db);
    await runJson(["brands", "add", "Airmee", "--customer", "Budbee AB"], db);
    await runJson(["brands", "add", "Instabox", "--customer", "Instabee AB"], db);
    const add = async (type: string, payload: unknown) =>
      (await runJson(["jobs", "add", type, "--payload", JSON.stringify(payload)], db)).jobs[0].id as number;
    const byName = await add("brand.score", { brand: "Budbee" });
    const byId = await add("brand.score", { brand: 1 });
    const lower = await add("brand.score", { brand: "budbee" });
    const airmee = await add("brand.score", { brand: "Airmee" });
    await add("brand.score", { brand: "Instabox" });
    await add("noop", {});
    await runJson(
      ["schedule", "add", "--name", "Nattlig Budbee", "--type", "brand.score", "--payload", '{"brand":"Budbee"}', "--at", "02:00"],
      db,
    );
    const fired = (await runJson(["schedule", "trigger", "nattlig-budbee"], db)).jobId as number;

    const ids = async (...args: string[]) => {
      const r = await runJson(["jobs", "list", ...args], db);
      expect(r.total).toBe(r.jobs.length);
      return r.jobs.map((j: { id: number }) => j.id);
    };
    expect(await ids("--brand", "Budbee")).toEqual([fired, lower, byId, byName]);
    expect(await ids("--brand", "1")).toEqual([fired, lower, byId, byName]);
    expect(await ids("--customer", "budbee ab")).toEqual([fired, airmee, lower, byId, byName]);
    expect(await ids("--customer", "Budbee AB", "--brand", "Airmee")).toEqual([airmee]);
    expect(await ids("--schedule", "Nattlig Budbee")).toEqual([fired]);
    expect(await ids("--schedule", "nattlig-budbee", "--brand", "Airmee")).toEqual([]);
    expect(await ids("--brand", "Budbee", "--state", "pending", "--since", "1h")).toEqual([fired, lower, byId, byName]);
    expect(await ids("--brand", "Budbee", "--state", "dead")).toEqual([]);
    expect(await ids("--since", "2099-01-01T00:00:00Z")).toEqual([]);
    // Paged like every list.
    const page = await runJson(["jobs", "list", "--customer", "Budbee AB", "--limit", "2"], db);
    expect({ ids: page.jobs.map((j: { id: number }) => j.id), total: page.total }).toEqual({ ids: [fired, airmee], total: 5 });

    for (const [args, message] of [
      [["--brand", "Bubdee"], /no brand "Bubdee"/],
      [["--customer", "Nobody AB"], /no customer "Nobody AB"/],
      [["--schedule", "nattlig-bubdee"], /no schedule named "nattlig-bubdee"/],
      [["--schedule", "999"], /no schedule named "999"/],
      [["--customer", "Instabee AB", "--brand", "Budbee"], /brand Budbee is not Instabee AB's/],
      [["--since", "last tuesday"], /--since/],
    ] as const) {
      const r = await runCli(["jobs", "list", ...args], db);
      expect({ args, code: r.code, stdout: r.stdout, lines: r.stderr.trim().split("\n").length }).toEqual({
        args,
        code: 2,
        stdout: "",
        lines: 1,
      });
      expect(r.stderr).toMatch(message);
    }
  });
});
