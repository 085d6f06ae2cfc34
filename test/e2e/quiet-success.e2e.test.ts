import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../fakes/llm-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// Under cron (no TTY) a successful run prints nothing on stderr, so cron mails only failures.

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await new FakeLlmServer().start();
  fake.apiKey = "sk-test-quiet-0123456789";
});
afterAll(() => fake.stop());

const NOW = "2026-03-02T09:00:00Z";

describe("a successful run prints nothing on stderr", () => {
  it("every command's success path, on a seeded database", async () => {
    const dir = tempDir();
    const db = join(dir, "quiet.db");
    const env = { LEADJOBS_STORAGE_ROOT: join(dir, "files"), OPENAI_API_KEY: fake.apiKey, LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1` };
    const csv = join(dir, "companies.csv");
    writeFileSync(csv, "orgnr,name,status\n556016-0680,Tyst Logistik AB,active\n");
    const run = async (args: string[]) => {
      const r = await runCli(args, db, { env });
      expect({ args: args.join(" "), code: r.code, stderr: r.stderr }).toEqual({ args: args.join(" "), code: 0, stderr: "" });
      return r;
    };
    await run(["seed", "--companies", "150", "--tracked", "40", "--answers", "5", "--now", NOW]);
    const orgnr = query<{ orgnr: string }>(db, "select orgnr from company where status = 'active' order by orgnr limit 1")[0]!.orgnr;
    const lead = query<{ id: number }>(db, "select id from lead order by id limit 1")[0]!.id;

    const table: string[][] = [
      ["help", "schedule", "add"],
      ["status"],
      ["status", "--json"],
      ["tracked"],
      ["tracked", "--json"],
      ["tracked", "hiring"],
      ["tracked", "hiring", "--json"],
      ["jobs", "types"],
      ["jobs", "types", "leads.analyze"],
      ["jobs", "add", "noop"],
      ["jobs", "add", "noop", "--run-at", "2099-01-01T00:00:00Z"],
      ["jobs", "list"],
      ["jobs", "list", "--brand", "Budbee", "--customer", "Budbee AB", "--since", "7d", "--limit", "1"],
      ["jobs", "show", "1"],
      ["jobs", "cancel", "2"],
      ["process"],
      ["process", "--max-runtime", "30d"],
      ["enqueue", "--dry-run"],
      ["schedule", "add", "--name", "Nattlig sökning – Stockholm", "--type", "noop", "--at", "02:00", "--days", "weekends"],
      ["schedule", "list"],
      ["schedule", "show", "nattlig-sokning-stockholm"],
      ["schedule", "edit", "nattlig-sokning-stockholm", "--at", "03:00"],
      ["schedule", "pause", "nattlig-sokning-stockholm"],
      ["schedule", "resume", "nattlig-sokning-stockholm"],
      ["schedule", "trigger", "nattlig-sokning-stockholm"],
      ["schedule", "history", "nattlig-sokning-stockholm"],
      ["schedule", "preview", "nattlig-sokning-stockholm"],
      ["schedule", "preview", "--cron", "0 2 * * *"],
      ["schedule", "rename", "nattlig-sokning-stockholm", "Nattlig sökning – Göteborg"],
      ["schedule", "rename", "nattlig-sokning-goteborg", "Nattlig sökning – Stockholm"],
      ["schedule", "rm", "nattlig-sokning-stockholm"],
      ["schedule", "show", "--removed", "nattlig-sokning-stockholm"],
      ["companies", "search", "logistik"],
      ["companies", "show", orgnr],
      ["companies", "problems"],
      ["companies", "import", csv],
      ["companies", "reset", orgnr],
      ["companies", "add", "5567549984", "--name", "Tyst Trä AB", "--by-hand", "--update"],
      ["companies", "reports", "--no-fetch", orgnr],
      ["track", orgnr, "--rank", "50", "--as", "anna"],
      ["untrack", orgnr, "--as", "anna"],
      ["terminals", "list"],
      ["terminals", "add", "Tyst"],
      ["terminals", "rules"],
      ["terminals", "rules", "edit", "1", "--position", "1"],
      ["terminals", "edit", "Tyst", "--description", "tyst"],
      ["terminals", "rename", "Tyst", "Tystare"],
      ["terminals", "rm", "Tystare"],
      ["leads", "list"],
      ["leads", "list", "--limit", "1", "--offset", "1"],
      ["leads", "show", String(lead)],
      ["leads", "add", "556016-0680"],
      ["leads", "edit", String(lead), "--notes", "ring"],
      ["leads", "edit", String(lead), "--contact-name", "Eva Ek", "--contact-email", "eva@example.se"],
      ["leads", "assign"],
      ["leads", "analyze", String(lead), "--provider", "rules"],
      ["leads", "rm", "556016-0680"],
      ["brands", "list"],
      ["brands", "show", "Budbee"],
      ["brands", "topics", "Budbee"],
      ["brands", "competitors", "Budbee"],
      ["brands", "queries", "list", "Budbee"],
      ["brands", "queries", "generate", "Budbee"],
      ["brands", "queries", "list", "Budbee", "--inactive", "--limit", "1"],
      ["brands", "collect", "Budbee", "--collectors", "chatgpt", "--query-limit", "1"],
      ["brands", "score", "Budbee"],
      ["brands", "add", "Tystbolaget", "--customer", "Tyst AB"],
      ["brands", "competitors", "Budbee", "--add", "Tystbud", "--alias", "TB"],
      ["brands", "competitors", "Budbee", "--edit", "Tystbud", "--remove-alias", "TB"],
      ["brands", "edit", "Tystbolaget", "--alias", "Tyst"],
      ["brands", "rm", "Tystbolaget"],
      ["report", "leads"],
      ["report", "brands"],
      ["web", "fingerprints"],
      ["alerts", "--now", NOW],
      ["invoice-pdf", "--pending"],
      ["cleanup", "--dry-run"],
      ["cleanup"],
      ["users", "list"],
      ["users", "add", "quiet-admin", "--role", "admin"],
      ["users", "add", "quiet-sales", "--role", "sales", "--os-account", "quiet-sales-os"],
      ["users", "show", "quiet-admin"],
      ["users", "edit", "quiet-sales", "--email", "sales@tyst.se"],
      ["users", "rm", "quiet-sales"],
      ["users", "list", "--everyone"],
    ];
    for (const args of table) await run(args);
  }, 600_000);

  it("a run of more than ten model calls, with retries after 429, prints no MaxListenersExceededWarning", async () => {
    const db = join(tempDir(), "llm.db");
    const env = { OPENAI_API_KEY: fake.apiKey, LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1` };
    await runJson(["seed", "--companies", "300", "--tracked", "0", "--answers", "0", "--now", NOW], db);
    await runJson(["jobs", "add", "leads.analyze", "--payload", JSON.stringify({ selector: { limit: 12 }, llm_provider: "openai" })], db, {
      env,
    });
    fake.rateLimit(2, "1");
    const r = await runCli(["process", "--json"], db, { env });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toMatchObject({ completed: 1 });
    expect(fake.requests.length).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it("durations of 25 days and more: --timeout 25d does not fire at once, --max-runtime 30d prints no warning", async () => {
    const db = join(tempDir(), "long.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":300}', "--timeout", "25d"], db);
    const r = await runCli(["process", "--max-runtime", "30d", "--json"], db);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toMatchObject({ completed: 1 });
    expect(query(db, "select outcome from job_attempt")).toEqual([{ outcome: "completed" }]);
  }, 60_000);
});
