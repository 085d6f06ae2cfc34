import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { pdfText, qpdfCheck } from "../helpers/pdf.ts";
import { tempDir } from "../helpers/store.ts";
import { requireTools } from "../helpers/system.ts";
import { webhookServer } from "../helpers/webhook-server.ts";

const NOW = "2026-11-22T08:00:00.000Z";

describe("the back-office cycle on seeded data (what `npm start` runs)", () => {
  it("seed fills every back-office table; alerts, invoice PDFs and cleanup all succeed on it", async (ctx) => {
    requireTools(["pdftotext", "qpdf"])(ctx);
    const dir = tempDir();
    const db = join(dir, "demo.db");
    const seeded = await runJson(["seed", "--companies", "200", "--now", NOW], db);
    expect(seeded.backoffice).toMatchObject({ tenants: 3 });
    for (const [k, v] of Object.entries(seeded.backoffice)) expect(v, k).toBeGreaterThan(0);

    const alerts = await runJson(["alerts", "--now", NOW], db);
    expect(alerts).toMatchObject({ ok: true, failed: 0 });
    expect(alerts.created).toBeGreaterThan(5); // projects near and over their thresholds
    expect(alerts.withoutBudget).toBeGreaterThan(0);
    expect(alerts.notifications.printed).toBe(alerts.notifications.queued);

    const pdfs = await runJson(["invoice-pdf", "--pending", "--out", dir, "--now", NOW], db);
    expect(pdfs).toMatchObject({ failed: 0, retrying: 0 });
    expect(pdfs.rendered).toBe(seeded.backoffice.invoices - 3); // one draft per tenant
    const pages = pdfs.invoices.map((i: { pages: number }) => i.pages);
    expect(Math.max(...pages)).toBeGreaterThanOrEqual(6); // the invoice of several hundred lines
    for (const tenant of readdirSync(join(dir, "invoices"))) {
      for (const f of readdirSync(join(dir, "invoices", tenant))) expect(qpdfCheck(join(dir, "invoices", tenant, f)).code).toBe(0);
    }
    const all = pdfs.invoices.map((i: { path: string }) => pdfText(i.path)).join("\n");
    expect(all).toContain("Omvänd betalningsskyldighet");
    expect(all).toContain("Kreditfaktura");
    expect(all).toContain("Plusgiro");

    const cleanup = await runJson(["cleanup", "--now", NOW], db);
    expect(cleanup).toMatchObject({ ok: true, links: { failed: 0 } });
    expect(cleanup.links.deactivated).toBeGreaterThan(0); // expired and used-up links
    expect(cleanup.views.deleted).toBeGreaterThan(0);

    // Re-seeding replaces the back-office rows instead of adding more.
    const again = await runJson(["seed", "--companies", "200", "--now", NOW], db);
    expect(again.backoffice).toEqual(seeded.backoffice);
    const reset = await runJson(["seed", "--companies", "200", "--reset", "--now", NOW], db);
    expect(reset.backoffice).toEqual(seeded.backoffice);
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([]);
  });

  it("under `process`, a queued budget.alerts job's notifications go to the webhook through notify.deliver", async () => {
    const dir = tempDir();
    const db = join(dir, "q.db");
    const hook = await webhookServer([200]);
    const env = { env: { LEADJOBS_NOTIFY_WEBHOOK: hook.url } };
    await runJson(["seed", "--companies", "50"], db);
    await runJson(["jobs", "add", "budget.alerts"], db);
    const run = await runJson(["process"], db, env);
    expect(run).toMatchObject({ claimed: 2, completed: 2, died: 0 });
    const types = (await runJson(["jobs", "list"], db)).jobs.map((j: { type: string; state: string }) => `${j.type}:${j.state}`);
    expect(types.sort()).toEqual(["budget.alerts:completed", "notify.deliver:completed"]);
    // One post per alert, listing the tenant's admins (not one per admin).
    const created = query<{ n: number }>(db, "select count(*) as n from budget_alert where created_by like 'job:%'");
    expect(hook.received.length).toBe(Number(created[0]?.n));
    expect(hook.received.length).toBeGreaterThan(5);
    const recipients = hook.received.map((r) => r.body.leadjobs.data.recipients.length as number);
    expect(Math.min(...recipients)).toBeGreaterThan(0);
    const status = await runJson(["status"], db);
    // Webhook delivered; the output channel (a row per admin) waits for the next `leadjobs alerts`, which prints them.
    const perAdmin = recipients.reduce((a, b) => a + b, 0);
    expect(status.backoffice.notifications).toMatchObject({ pending: perAdmin, failed: 0 });
    const posts = hook.received.length;
    const alerts = await runCli(["alerts"], db, env);
    expect(alerts.code).toBe(0);
    expect(alerts.stdout.match(/^Budget alert: /gm)?.length).toBeGreaterThan(0);
    expect((await runJson(["status"], db)).backoffice.notifications).toMatchObject({ pending: 0 });
    expect(hook.received.length).toBe(posts); // nothing sent twice
  });
});
