import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const NOW = "2026-03-02T09:00:00Z";
const MORE = / more — use --limit\/--offset\/--all$/;
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

/** A valid organisationsnummer (third digit >= 2, Luhn check digit) from a running number. */
function orgnr(n: number): string {
  const body = `556${String(n).padStart(6, "0")}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const d = Number(body[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

describe("leads list with 120 leads (it used to stop at 50 without a word)", () => {
  let db: string;
  const dir = mkdtempSync(join(tmpdir(), "leadjobs-paging-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    db = join(dir, "paging.db");
    const rows = Array.from({ length: 120 }, (_, i) => `${orgnr(i + 1)};Paging Logistik ${i + 1} AB;Göteborg;52290`);
    writeFileSync(join(dir, "companies.csv"), ["orgnr;name;town;sni", ...rows].join("\n"));
    expect(await runJson(["companies", "import", join(dir, "companies.csv")], db)).toMatchObject({ imported: 120 });
    const search = { search_query: "logistik", max_results: 120, auto_assign: false };
    await runJson(["jobs", "add", "leads.search", "--payload", JSON.stringify(search)], db);
    expect(await runJson(["process"], db)).toMatchObject({ completed: 1 });
    expect(counts(db, ["lead"])).toEqual({ lead: 120 });
  }, 120_000);

  it("shows 50 and says 70 more, on stdout after the table; --json carries the total", async () => {
    const r = await runCli(["leads", "list"], db);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1 + 50 + 1);
    expect(lastLine(r.stdout)).toBe("70 more — use --limit/--offset/--all");
    const j = await runJson(["leads", "list"], db);
    expect({ count: j.count, total: j.total, limit: j.limit, offset: j.offset, leads: j.leads.length }).toEqual({
      count: 50,
      total: 120,
      limit: 50,
      offset: 0,
      leads: 50,
    });
  });

  it("--offset pages on, --limit widens, --all shows every lead; a page that reaches the end has no footer", async () => {
    const ids = query<{ id: number }>(db, "select id from lead order by id desc").map((r) => r.id);
    const second = await runJson(["leads", "list", "--offset", "50", "--limit", "50"], db);
    expect(second.leads.map((l: { id: number }) => l.id)).toEqual(ids.slice(50, 100));
    const tail = await runCli(["leads", "list", "--offset", "100"], db);
    expect(tail.stdout.trimEnd().split("\n")).toHaveLength(1 + 20);
    expect(tail.stdout).not.toMatch(MORE);
    expect((await runJson(["leads", "list", "--offset", "100"], db)).total).toBe(120);
    expect((await runJson(["leads", "list", "--all"], db)).leads).toHaveLength(120);
    const wide = await runCli(["leads", "list", "--limit", "200"], db);
    expect(wide.stdout).not.toMatch(MORE);
    expect(lastLine((await runCli(["leads", "list", "--limit", "100"], db)).stdout)).toBe("20 more — use --limit/--offset/--all");
    // Past the end: no leads, and the total still counted.
    expect(await runJson(["leads", "list", "--offset", "500"], db)).toMatchObject({ count: 0, total: 120, leads: [] });
  });

  it("bad paging is one line, exit 2", async () => {
    for (const args of [
      ["--all", "--limit", "5"],
      ["--offset", "-1"],
      ["--limit", "0"],
      ["--offset", "x"],
    ]) {
      const r = await runCli(["leads", "list", ...args], db);
      expect({ args, code: r.code, lines: r.stderr.trim().split("\n").length, stdout: r.stdout }).toEqual({
        args,
        code: 2,
        lines: 1,
        stdout: "",
      });
    }
  });
});

describe("a page past the end says so, not that the list is empty", () => {
  it("schedule history and schedule list", async () => {
    const db = join(tempDir(), "past-end.db");
    await runJson(["schedule", "add", "--name", "wk", "--type", "noop", "--cron", "0 9 * * 1-5", "--as", "anna"], db);
    expect(lastLine((await runCli(["schedule", "history", "wk", "--offset", "5"], db)).stdout)).toBe("no fires yet");
    await runJson(["schedule", "trigger", "wk"], db);
    const history = await runCli(["schedule", "history", "wk", "--offset", "5"], db);
    expect([history.code, history.stderr, lastLine(history.stdout)]).toEqual([0, "", "no fires at offset 5 (1 in all)"]);
    expect(lastLine((await runCli(["schedule", "list", "--offset", "1"], db)).stdout)).toBe("no schedules at offset 1 (1 in all)");
    expect(lastLine((await runCli(["schedule", "list", "--owner", "anna", "--offset", "3"], db)).stdout)).toBe(
      "no schedules owned by anna at offset 3 (1 in all)",
    );
    expect(lastLine((await runCli(["schedule", "list", "--owner", "bo"], db)).stdout)).toBe("no schedules owned by bo");
  });

  it("every other paged list: a page past the end names its offset and the total, not an empty list", async () => {
    const db = join(tempDir(), "past-end-lists.db");
    await runJson(["seed", "--companies", "300", "--tracked", "30", "--answers", "5", "--now", NOW], db);
    for (let i = 0; i < 3; i++) await runJson(["jobs", "add", "noop"], db);
    await runJson(["alerts", "--now", NOW], db);
    // [command, the --json key of its items, what its text says past the end]
    const lists: Array<[string[], string, string]> = [
      [["leads", "list"], "leads", "leads"],
      [["jobs", "list"], "jobs", "jobs"],
      [["alerts", "list"], "alerts", "alerts"],
      [["invoices", "list"], "invoices", "invoices"],
      [["links", "list", "--now", NOW], "links", "links"],
      [["projects", "list"], "projects", "projects"],
      [["brands", "list"], "brands", "brands"],
      [["brands", "queries", "list", "Budbee"], "queries", "active queries for Budbee"],
      [["terminals", "list"], "terminals", "terminals"],
      [["terminals", "rules"], "rules", "assignment rules"],
      [["tracked", "--now", NOW], "companies", "tracked companies"],
      [["companies", "search", "AB"], "companies", "companies"],
      [["users", "list", "--everyone"], "users", "users"],
    ];
    const offset = "100000";
    for (const [args, key, what] of lists) {
      const all = await runJson([...args, "--all"], db);
      expect({ args, some: (all[key] as unknown[]).length > 0 }).toEqual({ args, some: true });
      const r = await runCli([...args, "--offset", offset], db);
      expect({ args, code: r.code, stderr: r.stderr, last: lastLine(r.stdout) }).toEqual({
        args,
        code: 0,
        stderr: "",
        last: `no ${what} at offset ${offset} (${all.total} in all)`,
      });
    }
  }, 600_000);
});

describe("every list takes --limit/--offset/--all, says when it cut, and carries the total in --json", () => {
  it("on a seeded database", async () => {
    const db = join(tempDir(), "lists.db");
    await runJson(["seed", "--companies", "300", "--tracked", "30", "--answers", "5", "--now", NOW], db);
    for (let i = 0; i < 3; i++) await runJson(["jobs", "add", "noop"], db);
    await runJson(["alerts", "--now", NOW], db);
    await runJson(["schedule", "trigger", "1", "--now", NOW], db);
    await runJson(["schedule", "trigger", "1", "--now", "2026-03-02T10:00:00Z"], db);
    const lead = query<{ id: number }>(db, "select id from lead order by id limit 1")[0]!.id;
    // [command, the --json key of its items]
    const lists: Array<[string[], string]> = [
      [["leads", "list"], "leads"],
      [["jobs", "list"], "jobs"],
      [["alerts", "list"], "alerts"],
      [["invoices", "list"], "invoices"],
      [["links", "list", "--now", NOW], "links"],
      [["projects", "list"], "projects"],
      [["brands", "list"], "brands"],
      [["brands", "queries", "list", "Budbee"], "queries"],
      [["terminals", "list"], "terminals"],
      [["terminals", "rules"], "rules"],
      [["schedule", "list", "--now", NOW], "schedules"],
      [["schedule", "history", "1"], "fires"],
      [["tracked", "--now", NOW], "companies"],
      [["tracked", "--matches", "--now", NOW], "matches"],
      [["companies", "search", "AB"], "companies"],
      [["companies", "problems", "--now", NOW], "companies"],
      [["web", "show", String(lead)], "analyses"],
      [["users", "list", "--everyone"], "users"],
    ];
    const cut: string[] = [];
    for (const [args, key] of lists) {
      const all = await runJson([...args, "--all"], db);
      const total = all.total as number;
      expect({ args, n: (all[key] as unknown[]).length, count: all.count, limit: all.limit, offset: all.offset }).toEqual({
        args,
        n: total,
        count: total,
        limit: null,
        offset: 0,
      });
      const one = await runJson([...args, "--limit", "1"], db);
      expect({ args, n: (one[key] as unknown[]).length, count: one.count, total: one.total, limit: one.limit }).toEqual({
        args,
        n: Math.min(1, total),
        count: Math.min(1, total),
        total,
        limit: 1,
      });
      const text = await runCli([...args, "--limit", "1"], db);
      expect({ args, code: text.code, stderr: text.stderr }).toEqual({ args, code: 0, stderr: "" });
      if (total > 1) {
        expect({ args, last: lastLine(text.stdout) }).toEqual({ args, last: `${total - 1} more — use --limit/--offset/--all` });
        cut.push(args.slice(0, 2).join(" "));
      } else expect(text.stdout).not.toMatch(MORE);
    }
    // Most lists of the seed have more than one item, so the footer was seen, not only its absence.
    expect(cut.length).toBeGreaterThanOrEqual(12);
  }, 600_000);
});
