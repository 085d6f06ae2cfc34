import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annualReportFixtures } from "../fakes/annual-report-fixtures.ts";
import { FakeBolagsverket } from "../fakes/bolagsverket-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// Revenue and employees from annual reports: Bolagsverket's dokumentlista and dokument (a ZIP
// holding the iXBRL report), served by the local fake, through the real binary.
let fake: FakeBolagsverket;
const F = annualReportFixtures();
beforeAll(async () => {
  fake = await new FakeBolagsverket().start();
  F.file(fake);
});
afterAll(() => fake.stop());

const env = () => fake.cliEnv();
const NOW = "2026-06-01T08:00:00.000Z";

async function companiesDb(): Promise<string> {
  const db = join(tempDir(), "reports.db");
  await createDb(db);
  for (const [orgnr, name, revenue, employees] of [
    [F.k2, "Åkesson Logistik AB", 9000, 10],
    [F.k3, "Norrhamn Frakt AB", null, null],
    [F.none, "Nystartat AB", 5000, 3],
    [F.other, "Fel Rapport AB", 700, 2],
  ] as const)
    writeSync(
      db,
      "insert into company (orgnr, name, revenue_tkr, employees, created_at, updated_at) values (?, ?, ?, ?, ?, ?)",
      orgnr,
      name,
      revenue,
      employees,
      NOW,
      NOW,
    );
  return db;
}

interface Shown {
  orgnr: string;
  check: { outcome: string; documentId: string | null; framework: string | null; message: string | null } | null;
  financialYear: { start: string; end: string } | null;
  revenueTkr: number | null;
  employees: number | null;
  history: Array<{
    start: string;
    end: string;
    revenueTkr: number | null;
    netRevenueOre: number | null;
    employees: number | null;
    source: string;
    documentId: string;
  }>;
}

describe("companies reports", () => {
  it("reads the latest K2 and K3 reports: revenue, employees, financial year with history; no report keeps the figures", async () => {
    const db = await companiesDb();
    const r = await runJson<{ jobId: number; companies: Shown[] }>(["companies", "reports", F.k2, F.k3, F.none], db, { env: env() });
    const [k2, k3, none] = r.companies as [Shown, Shown, Shown];
    expect(k2).toMatchObject({
      check: { outcome: "updated", documentId: "K2-2025", framework: "K2" },
      financialYear: { start: "2025-01-01", end: "2025-12-31" },
      revenueTkr: 12346,
      employees: 14,
    });
    // The latest report only (not the older one), its comparative year in the history too.
    expect(k2.history.map((h) => [h.end, h.netRevenueOre, h.employees, h.source, h.documentId])).toEqual([
      ["2025-12-31", 1_234_567_800, 14, "report", "K2-2025"],
      ["2024-12-31", 987_654_300, 11, "comparative", "K2-2025"],
    ]);
    expect(k3).toMatchObject({
      check: { outcome: "updated", documentId: "K3-2025", framework: "K3" },
      financialYear: { start: "2024-05-01", end: "2025-04-30" },
      revenueTkr: 48200,
      employees: 42,
    });
    expect(k3.history.map((h) => [h.end, h.revenueTkr, h.source])).toEqual([
      ["2025-04-30", 48200, "report"],
      ["2024-04-30", -1300, "comparative"],
    ]);
    expect(none).toMatchObject({
      check: { outcome: "no_report", documentId: null },
      revenueTkr: 5000,
      employees: 3,
      financialYear: null,
      history: [],
    });
    expect(fake.downloads.filter((d) => d.startsWith("K2-") || d.startsWith("K3-")).sort()).toEqual(["K2-2025", "K3-2025"]);
    const job = await runJson(["jobs", "show", String(r.jobId)], db);
    expect(job.job).toMatchObject({ type: "company.reports", state: "completed" });
    expect(job.attempts[0].metrics).toEqual({ updated: 2, unchanged: 0, no_report: 1, not_found: 0, failed: 0 });

    // min_revenue uses the new figures.
    const rich = await runJson(["companies", "search", "--min-revenue", "20000"], db);
    expect(rich.companies.map((c: { orgnr: string }) => c.orgnr)).toEqual([F.k3]);
    expect(await runJson(["companies", "show", F.k2], db)).toMatchObject({ revenueTkr: 12346, financialYearEnd: "2025-12-31" });

    // Again: the same latest report is not downloaded again.
    const downloads = fake.downloads.length;
    const again = await runJson<{ companies: Shown[] }>(["companies", "reports", F.k2], db, { env: env() });
    expect(again.companies[0]).toMatchObject({ check: { outcome: "unchanged", framework: "K2" }, revenueTkr: 12346 });
    expect(fake.downloads.length).toBe(downloads);

    // A newer report: the company moves on; last year's own figures are not replaced by the new report's comparative column.
    F.fileNewerK2(fake);
    const newer = await runJson<{ companies: Shown[] }>(["companies", "reports", F.k2], db, { env: env() });
    expect(newer.companies[0]).toMatchObject({ financialYear: { end: "2026-12-31" }, revenueTkr: 15000, employees: 17 });
    expect(newer.companies[0]!.history.map((h) => [h.end, h.netRevenueOre, h.source, h.documentId])).toEqual([
      ["2026-12-31", 1_500_000_000, "report", "K2-2026"],
      ["2025-12-31", 1_234_567_800, "report", "K2-2025"],
      ["2024-12-31", 987_654_300, "comparative", "K2-2025"],
    ]);

    const text = await runCli(["companies", "reports", F.none, F.k3], db, { env: env() });
    expect([text.code, text.stderr]).toEqual([0, ""]);
    expect(text.stdout).toMatch(
      /Nystartat AB \(\d{6}-\d{4}\)\n {2}no annual report filed: its figures are kept\n {2}financial year unknown; revenue 5000 TKR; employees 3/,
    );
    expect(text.stdout).toMatch(/the latest annual report was read before \(K3-2025, K3\)/);
    expect(text.stdout).toMatch(/^2024-05-01 – 2025-04-30\s+48200\s+42\s+its report \(K3\)\s+K3-2025\s+2025-09-15$/m);

    // --no-fetch shows what is stored, without credentials or a request.
    const requests = fake.apiRequests.length;
    const stored = await runJson<{ jobId: null; companies: Shown[] }>(["companies", "reports", "--no-fetch", F.k3], db, {
      env: { BOLAGSVERKET_CLIENT_ID: undefined, BOLAGSVERKET_CLIENT_SECRET: undefined },
    });
    expect(stored).toMatchObject({ jobId: null, companies: [{ check: null, revenueTkr: 48200 }] });
    expect(fake.apiRequests.length).toBe(requests);
  });

  it("a report of another company is not used: exit 1, the figures are kept", async () => {
    const db = await companiesDb();
    const r = await runCli(["companies", "reports", F.other, "--json"], db, { env: env() });
    expect(r.code).toBe(1);
    const [c] = JSON.parse(r.stdout).companies as Shown[];
    expect(c).toMatchObject({
      check: { outcome: "failed", message: expect.stringMatching(/it is the report of 5560160680/) },
      revenueTkr: 700,
      history: [],
    });
  });

  it("re-analysis reads the annual reports first, so the analysis sees the new revenue", async () => {
    const db = await companiesDb();
    await runJson(["leads", "add", F.k3], db);
    const payload = JSON.stringify({ selector: { not_analysed_since: "90d", limit: 10 }, llm_provider: "rules" });
    await runJson(["jobs", "add", "leads.analyze", "--payload", payload], db);
    expect(await runJson(["process"], db, { env: env() })).toMatchObject({ completed: 1 });
    const [job] = (await runJson(["jobs", "list", "--type", "leads.analyze"], db)).jobs;
    const shown = await runJson(["jobs", "show", String(job.id)], db);
    expect(shown.job.result.annualReports).toEqual({ checked: 1, updated: 1, noReport: 0, failed: 0, skipped: null });
    const [analysis] = query<{ reasons: string }>(db, "select reasons from lead_analysis");
    expect(analysis?.reasons).toMatch(/revenue 48 MSEK/);

    // Without credentials the stored figures are used and the result says why.
    await runJson(["jobs", "add", "leads.analyze", "--payload", JSON.stringify({ lead_ids: [1], llm_provider: "rules" })], db);
    expect(await runJson(["process"], db, { env: { BOLAGSVERKET_CLIENT_ID: undefined } })).toMatchObject({ completed: 1 });
    const latest = (await runJson(["jobs", "list", "--type", "leads.analyze"], db)).jobs.find((j: { id: number }) => j.id !== job.id);
    const second = await runJson(["jobs", "show", String(latest.id)], db);
    expect(second.job.result.annualReports).toMatchObject({ checked: 0, skipped: expect.stringMatching(/no Bolagsverket credentials/) });
  });

  it("bad input: exit 2 (unknown or invalid orgnr) or 69 (no credentials), nothing written", async () => {
    const db = await companiesDb();
    const tables = ["job", "company_financials"];
    const before = counts(db, tables);
    for (const [args, code, message] of [
      [["companies", "reports", "2021005489"], 2, /no company 2021005489 in the register/],
      [["companies", "reports", "5560160681"], 2, /invalid organisationsnummer/],
    ] as const) {
      const r = await runCli([...args], db, { env: env() });
      expect([r.code, r.stderr.trim().split("\n").length]).toEqual([code, 1]);
      expect(r.stderr).toMatch(message);
    }
    const noCreds = await runCli(["companies", "reports", F.k2], db, { env: { BOLAGSVERKET_CLIENT_ID: undefined } });
    expect(noCreds.code).toBe(69);
    expect(noCreds.stderr).toMatch(/Bolagsverket credentials are not set/);
    expect(counts(db, tables)).toEqual(before);
    expect(query(db, "select reports_checked_at from company where reports_checked_at is not null")).toEqual([]);
  });
});
