import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, runJson } from "../helpers/cli.ts";

interface TypeDoc {
  type: string;
  forms: Array<{ fields: Array<{ name: string; type: string; required: boolean; default?: unknown; description: string | null }> }>;
}

describe("jobs types NAME", () => {
  it("lists the type's payload fields: name, type, required or default, description", async () => {
    const r = await runCli(["jobs", "types", "leads.search"], undefined);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^leads\.search: search the company register/);
    expect(lines).toContainEqual(expect.stringMatching(/^max_results\s+integer 10\.\.500\s+default 50\s+new leads to create at most/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^search_filters\.industry\s+string\|string\[\], 1\.\.20 items\s+optional\s+SNI codes/),
    );
  });

  it("--json: every type's every field has a type and a description; a union is one form per shape", async () => {
    const { types } = await runJson<{ types: Array<{ type: string }> }>(["jobs", "types"], undefined);
    for (const { type } of types) {
      const doc = await runJson<TypeDoc>(["jobs", "types", type], undefined);
      expect(doc.type).toBe(type);
      for (const f of doc.forms.flatMap((x) => x.fields)) expect([type, f.name, f.type, f.description]).not.toContain(null);
    }
    const analyze = await runJson<TypeDoc>(["jobs", "types", "leads.analyze"], undefined);
    expect(analyze.forms[0]?.fields).toContainEqual({
      name: "selector.limit",
      type: "integer 1..500",
      required: false,
      default: 100,
      description: "at most this many leads, oldest analysis first",
    });
    const batch = await runJson<TypeDoc>(["jobs", "types", "web.batch"], undefined);
    expect(batch.forms.map((f) => f.fields.filter((x) => x.required).map((x) => x.name))).toEqual([["batch"], ["analysis", "select"]]);
    const none = await runJson<TypeDoc>(["jobs", "types", "budget.alerts"], undefined);
    expect(none.forms).toEqual([{ fields: [] }]);
  }, 180_000);

  it("an unknown name is one line and exit 2, with the nearest type", async () => {
    const r = await runCli(["jobs", "types", "leads.analyse"], undefined);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringContaining('unknown job type "leads.analyse" (did you mean "leads.analyze"?)'),
    ]);
  });

  it("without a name: the table of types as before", async () => {
    const r = await runCli(["jobs", "types"], undefined);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.split("\n")[0]).toMatch(/^TYPE\s+ATTEMPTS\s+RETRY AFTER\s+TIMEOUT\s+SUMMARY$/);
    expect(r.stdout).toMatch(/^leads\.analyze\s+3\s+1m, 5m\s+3h\s+analyse leads/m);
  });

  it("every type but noop (whose payload bounds its sleep) has a timeout: no handler holds its worker for ever", async () => {
    const { types } = await runJson<{ types: Array<{ type: string; timeoutMs: number | null }> }>(["jobs", "types"], undefined);
    expect(types.length).toBeGreaterThan(15);
    expect(types.filter((t) => t.timeoutMs === null).map((t) => t.type)).toEqual(["noop"]);
  });

  it("the README's default retry schedule is what jobs types shows for a type with the default policy (noop)", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").replace(/\s+/g, " ");
    const claim = /\(default: (\d+) attempts, (?:retried )?about ((?:\d+ min(?:, | and )?)+)/.exec(readme);
    expect(claim, "the sentence in README 'How it works'").not.toBeNull();
    const minutes = [...(claim?.[2] ?? "").matchAll(/(\d+) min/g)].map((m) => Number(m[1]) * 60_000);
    const { types } = await runJson<{ types: Array<{ type: string; maxAttempts: number; retryDelaysMs: number[] }> }>(
      ["jobs", "types"],
      undefined,
    );
    const noop = types.find((t) => t.type === "noop");
    expect({ maxAttempts: Number(claim?.[1]), retryDelaysMs: minutes }).toEqual({
      maxAttempts: noop?.maxAttempts,
      retryDelaysMs: noop?.retryDelaysMs,
    });
  });
});
