import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { pdfText } from "../helpers/pdf.ts";
import { smtpEnv, smtpSink } from "../helpers/smtp-server.ts";
import { tempDir } from "../helpers/store.ts";
import { requireTools } from "../helpers/system.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "backoffice");
const NOW = "2026-11-22T08:00:00.000Z";
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/**
 * The "Done when", with the README's commands and the documented files only, from an
 * empty database.
 */
describe("the back office with your own data, from an empty database", () => {
  it("import → alerts (email) → invoice add/issue → process renders → change re-renders → expired link cleaned up", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const dir = tempDir();
    const db = join(dir, "own.db");
    const env = { env: { LEADJOBS_STORAGE_ROOT: join(dir, "files") } };

    // A tenant with an admin, two clients, a project with a budget and thresholds; time and material as CSV.
    const imported = await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson"), "--now", NOW], db);
    expect(imported.kinds).toMatchObject({
      tenant: { created: 1 },
      client: { created: 2 },
      project: { created: 1 },
      budget: { created: 1 },
    });
    expect((await runJson(["backoffice", "import", join(FIXTURES, "time.csv"), "--now", NOW], db)).kinds["time-entry"].created).toBe(2);
    expect((await runJson(["backoffice", "import", join(FIXTURES, "material.csv"), "--now", NOW], db)).kinds["material-cost"].created).toBe(
      2,
    );

    // 85 h of 100 h: the 80 % hours threshold is crossed; material (45 %) and total (65 %) are not.
    // The admin gets an email (a real SMTP server on 127.0.0.1), and cron's output shows it too.
    const smtp = await smtpSink();
    const run = await runJson(["alerts", "--now", NOW], db, { env: smtpEnv(smtp.port) });
    expect(run).toMatchObject({ ok: true, created: 1, notifications: { queued: 1, deliveryJobs: 1, printed: 1 } });
    expect(run.printed[0]).toMatchObject({ recipient: "anna@acme.example" });
    expect(smtp.received.map((m) => m.to)).toEqual([["anna@acme.example"]]);
    const alerts = await runJson(["alerts", "list", "--tenant", "acme", "--state", "active"], db);
    expect(alerts.alerts).toMatchObject([
      { tenant: "acme", project: "P-1", type: "hours", thresholdPercent: 80, used: 5100, budget: 6000, usagePercent: 85 },
    ]);
    expect((await runJson(["alerts", "show", String(alerts.alerts[0].id)], db)).status).toBe("active");
    const project = await runJson(["projects", "show", "P-1", "--tenant", "acme"], db);
    expect(project.usage.map((u: { type: string; usagePercent: number }) => [u.type, u.usagePercent])).toEqual([
      ["hours", 85],
      ["material", 45],
      ["total", 64.8],
    ]);
    expect(project).toMatchObject({ activeAlerts: 1, alerts: [{ status: "active" }] });
    expect((await runJson(["projects", "list", "--state", "active"], db)).count).toBe(1);

    // An invoice: added, issued (number and OCR), rendered by cron's `process`.
    const added = await runJson(
      [
        "invoices",
        "add",
        "--tenant",
        "acme",
        "--client",
        "K-100",
        "--project",
        "P-1",
        "--id",
        "F-1",
        "--date",
        "2026-11-20",
        "--line",
        "Takarbete;85;tim;650",
        "--line",
        "Takpapp;1;parti;18000",
        "--now",
        NOW,
      ],
      db,
    );
    const issued = await runJson(["invoices", "issue", String(added.id), "--now", NOW], db);
    expect(issued).toMatchObject({ number: 1, ocr: "133" });
    expect(await runJson(["process"], db, env)).toMatchObject({ completed: 1, died: 0 });
    const shown = await runJson(["invoices", "show", String(added.id)], db);
    const first = pdfText(shown.pdfPath);
    for (const text of ["Faktura", "Acme Bygg AB", "Byggnads AB Västerås", "Takarbete", "133", "5050-1055"]) expect(first).toContain(text);
    const firstSha = sha(shown.pdfPath);
    expect(shown.pdfSha256).toBe(firstSha);

    // Changed through its record (as export prints it): the PDF is rendered again by `process`.
    const exported = (await runCli(["backoffice", "export", "--tenant", "acme"], db)).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const invoice = exported.find((r: { kind: string }) => r.kind === "invoice");
    invoice.lines[0].quantityMilli = 90_000;
    invoice.lines[0].description = "Takarbete inkl. besiktning";
    const change = join(dir, "change.ndjson");
    writeFileSync(change, `${JSON.stringify(invoice)}\n`);
    expect(await runJson(["backoffice", "import", change], db)).toMatchObject({ kinds: { invoice: { updated: 1 } }, pdfJobs: 1 });
    expect(await runJson(["process"], db, env)).toMatchObject({ completed: 1, died: 0 });
    expect(pdfText(shown.pdfPath)).toContain("Takarbete inkl. besiktning");
    expect(sha(shown.pdfPath)).not.toBe(firstSha);
    expect((await runJson(["invoices", "show", String(added.id)], db)).pdfPending).toBe(false);

    // An expired share link, imported; cleanup deactivates it.
    const link = join(dir, "link.ndjson");
    writeFileSync(
      link,
      `${JSON.stringify({ kind: "share-link", tenant: "acme", token: "f00dfeed0123456789abcdef", resource: "invoice", resourceId: "F-1", expiresAt: "2026-11-01T00:00:00Z" })}\n`,
    );
    await runJson(["backoffice", "import", link], db);
    expect((await runJson(["links", "list", "--now", NOW], db)).links).toMatchObject([
      { token: "f00dfeed0123456789abcdef", active: true, due: true },
    ]);
    expect(await runJson(["cleanup", "--now", NOW], db)).toMatchObject({ ok: true, links: { deactivated: 1 } });
    expect((await runJson(["links", "list", "--state", "active"], db)).count).toBe(0);
    expect((await runJson(["links", "list", "--state", "inactive", "--tenant", "acme"], db)).links).toMatchObject([
      { active: false, deactivationReason: expect.stringMatching(/expired/) },
    ]);

    // Resolving the alert by hand.
    const resolved = await runJson(
      ["alerts", "resolve", String(alerts.alerts[0].id), "--reason", "extra hours agreed", "--as", "anna"],
      db,
    );
    expect(resolved).toMatchObject({ status: "resolved", resolution: "extra hours agreed", resolvedBy: "user:anna" });
  }, 180_000); // some 25 CLI runs, each a process start and, on PostgreSQL, a connection

  it("a file with bad records: every one named by line on stderr, exit 2, nothing written", async () => {
    const dir = tempDir();
    const db = join(dir, "bad.db");
    await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
    const before = (await runCli(["backoffice", "export"], db)).stdout;
    const bad = [
      { kind: "client", tenant: "acme", id: "K-3", name: "Ny AB" },
      { kind: "client", tenant: "acme", id: "K-4", name: "Fel AB", orgnr: "5566778890" },
      { kind: "budget", tenant: "acme", project: "P-1", thresholds: [{ type: "total", percent: 1500 }] },
      {
        kind: "invoice",
        tenant: "acme",
        id: "F-2",
        client: "K-100",
        invoiceDate: "2026-11-20",
        lines: [{ description: "Spik", quantityMilli: 1000, unit: "st", vatCategory: "standard" }],
      },
      {
        kind: "invoice",
        tenant: "acme",
        id: "F-3",
        client: "K-100",
        invoiceDate: "1995-01-01",
        lines: [{ description: "Bröd", quantityMilli: 1000, unit: "st", unitPriceOre: 100, vatCategory: "food" }],
      },
      { kind: "project", tenant: "acme", id: "P-2", client: "K-9", name: "Okänd kund" },
    ];
    const r = await runCli(["backoffice", "import", "-"], db, { input: bad.map((b) => JSON.stringify(b)).join("\n") });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^leadjobs: stdin line 2: client "K-4": bad organisationsnummer/),
      'leadjobs: stdin line 3: budget "P-1": thresholds[0].percent: threshold over 1000 %',
      'leadjobs: stdin line 4: invoice "F-2": lines[0].unitPriceOre: missing',
      'leadjobs: stdin line 5: invoice "F-3": lines[0]: VAT rate unknown for category "food" on 1995-01-01',
      'leadjobs: stdin line 6: project "P-2": unknown reference: no client "K-9" in this tenant',
      "leadjobs: stdin: 5 record(s) refused, nothing imported",
    ]);
    expect((await runCli(["backoffice", "export"], db)).stdout).toBe(before); // not even K-3
  });

  it("rows named #<row id> stay uniquely named: export → import into an empty database → export gives the same lines", async () => {
    const dir = tempDir();
    const db = join(dir, "refs.db");
    await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
    const draft = (id: string) =>
      JSON.stringify({
        kind: "invoice",
        tenant: "acme",
        id,
        client: "K-100",
        invoiceDate: "2026-11-20",
        lines: [{ description: "Importerad", quantityMilli: 1000, unit: "st", unitPriceOre: 10000, vatCategory: "standard" }],
      });
    await runJson(["backoffice", "import", "-"], db, { input: draft("#2") });
    for (const price of ["50", "75"])
      await runJson(
        ["invoices", "add", "--tenant", "acme", "--client", "K-100", "--date", "2026-11-20", "--line", `Handlagd;1;st;${price}`],
        db,
      );
    const refs = (await runJson(["invoices", "list"], db)).invoices.map((i: { ref: string }) => i.ref);
    expect(refs).toHaveLength(3);
    expect(new Set(refs).size).toBe(3);

    const exported = (await runCli(["backoffice", "export"], db)).stdout;
    const copy = join(dir, "copy.db");
    expect((await runJson(["backoffice", "import", "-"], copy, { input: exported })).kinds.invoice).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    expect((await runCli(["backoffice", "export"], copy)).stdout).toBe(exported);

    // A #<row id> that is another row (client 2 is K-200) is refused, nothing written.
    const taken = await runCli(["backoffice", "import", "-"], copy, {
      input: JSON.stringify({ kind: "client", tenant: "acme", id: "#2", name: "Ny AB" }),
    });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/^leadjobs: stdin line 1: client "#2": row 2 is another client/m);
    expect((await runCli(["backoffice", "export"], copy)).stdout).toBe(exported);
  });

  it("instants on impossible dates are refused as --now refuses them, not moved to the next month", async () => {
    const dir = tempDir();
    const db = join(dir, "instants.db");
    await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
    const before = (await runCli(["backoffice", "export"], db)).stdout;
    const link = { kind: "share-link", tenant: "acme", token: "f00dfeed01", resource: "project", resourceId: "P-1" };
    const records = [
      { ...link, expiresAt: "2026-02-30T00:00:00Z" },
      { ...link, token: "f00dfeed02", active: false, deactivatedAt: "2026-02-29T12:00:00+01:00" },
      { ...link, token: "f00dfeed03", expiresAt: "2026-12-31T23:59:59" },
      { ...link, token: "f00dfeed04" },
      { kind: "link-view", tenant: "acme", id: "V-1", link: "f00dfeed04", viewedAt: "2026-04-31T10:00:00Z" },
    ];
    const r = await runCli(["backoffice", "import", "-"], db, { input: records.map((x) => JSON.stringify(x)).join("\n") });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      'leadjobs: stdin line 1: share-link "f00dfeed01": expiresAt: there is no such date as 2026-02-30',
      'leadjobs: stdin line 2: share-link "f00dfeed02": deactivatedAt: there is no such date as 2026-02-29',
      'leadjobs: stdin line 3: share-link "f00dfeed03": expiresAt: give the time zone, e.g. 2026-11-22T08:00:00Z (UTC) or 2026-11-22T09:00:00+01:00',
      'leadjobs: stdin line 5: link-view "V-1": viewedAt: there is no such date as 2026-04-31',
      "leadjobs: stdin: 4 record(s) refused, nothing imported",
    ]);
    expect((await runCli(["backoffice", "export"], db)).stdout).toBe(before);
  });

  it("a CSV with no column saying what its rows are: one line naming the columns and --kind; a record without a kind names the field", async () => {
    const dir = tempDir();
    const db = join(dir, "kinds.db");
    await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
    const before = (await runCli(["backoffice", "export"], db)).stdout;
    const csv = join(dir, "time.csv");
    writeFileSync(csv, "tenant,id,project,date,hourlyRateOre\nacme,T-1,P-1,2026-11-02,65000\n");
    const r = await runCli(["backoffice", "import", csv], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `leadjobs: ${csv}: no column says what its rows are (a "minutes" column for time entries, "amountOre" for material costs, or "kind"): add one, or give --kind time-entry or --kind material-cost\n`,
    );
    const told = await runCli(["backoffice", "import", csv, "--kind", "time-entry"], db);
    expect(told.code).toBe(2);
    expect(told.stderr).toMatch(/^leadjobs: .*time\.csv line 2: time-entry "T-1": minutes: missing$/m);

    const noKind = await runCli(["backoffice", "import", "-"], db, {
      input: JSON.stringify({ tenant: "acme", id: "K-9", name: "Utan AB" }),
    });
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toMatch(
      /^leadjobs: stdin line 1: kind: missing \(expected tenant, client, project, budget, time-entry, material-cost, invoice, share-link or link-view\)$/m,
    );
    expect((await runCli(["backoffice", "export"], db)).stdout).toBe(before);
  });

  it("a --tenant no tenant has (a typo) is refused, not answered with nothing", async () => {
    const db = join(tempDir(), "typo.db");
    await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
    for (const args of [
      ["backoffice", "export", "--tenant", "acmee"],
      ["backoffice", "export", "--tenant", "acme", "--tenant", "acmee"],
      ["projects", "list", "--tenant", "acmee"],
      ["alerts", "list", "--tenant", "acmee"],
      ["links", "list", "--tenant", "acmee"],
      ["invoices", "list", "--tenant", "acmee"],
    ]) {
      const r = await runCli(args, db);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        args,
        code: 2,
        stdout: "",
        stderr: 'leadjobs: no tenant "acmee"\n',
      });
    }
    expect((await runCli(["backoffice", "export", "--tenant", "acme"], db)).stdout).toContain('"slug":"acme"');
  });

  it("the same record twice in one file is refused, naming both lines", async () => {
    const dir = tempDir();
    const db = join(dir, "twice.db");
    await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
    const before = (await runCli(["backoffice", "export"], db)).stdout;
    const records = [
      { kind: "client", tenant: "acme", id: "K-300", name: "Första AB" },
      { kind: "client", tenant: "acme", id: "K-301", name: "Andra AB" },
      { kind: "client", tenant: "acme", id: "K-300", name: "Tredje AB" },
    ];
    const r = await runCli(["backoffice", "import", "-"], db, { input: records.map((x) => JSON.stringify(x)).join("\n") });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      'leadjobs: stdin line 3: client "K-300": the same client as line 1',
      "leadjobs: stdin: 1 record(s) refused, nothing imported",
    ]);
    expect((await runCli(["backoffice", "export"], db)).stdout).toBe(before);
  });
});
