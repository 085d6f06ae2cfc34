import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { addClient, addInvoice, addTenant, line, withDb } from "../helpers/backoffice.ts";
import { hangOnFileWrite } from "../helpers/hang.ts";
import { query } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// Foreground commands (invoice-pdf, cleanup, run-batch) hold their jobs like `process` does: a run
// killed -9 must not leave its job "running" for them, and --now must not move their leases.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check(); await sleep(100))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

async function invoiceDb(): Promise<{ db: string; out: string; dir: string; id: number }> {
  const dir = tempDir();
  const db = join(dir, "bo.db");
  await createDb(db);
  const id = await withDb(db, async (d) => {
    const t = await addTenant(d);
    const c = await addClient(d, t.id);
    return (await addInvoice(d, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("Konsult", 1000, 1000_00)] })).id;
  });
  return { db, out: join(dir, "files"), dir, id };
}

/** Starts `invoice-pdf ARGS` and waits until it holds its job, stuck writing the PDF. */
async function stuckInvoicePdf(db: string, dir: string, args: string[], env: Record<string, string> = {}) {
  const marker = join(dir, `writing-${Math.random().toString(36).slice(2)}`);
  const child = spawnCli(["invoice-pdf", ...args], db, { nodeArgs: hangOnFileWrite(marker), env });
  const done = finished(child);
  await until("the PDF write to start", () => existsSync(marker));
  return { child, done };
}

describe("a killed foreground run's job", () => {
  it("invoice-pdf takes back the invoice.pdf job of a killed invoice-pdf and renders it, and says so", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--pending", "--out", out]);
    stuck.child.kill("SIGKILL");
    await stuck.done;

    const again = await runCli(["invoice-pdf", "--pending", "--out", out, "--json"], db);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/job 1 \(invoice\.pdf\) lost: worker \S+ stopped \(its process is gone\); now pending/);
    expect(JSON.parse(again.stdout)).toMatchObject({
      rendered: 1,
      failed: 0,
      invoices: [{ invoiceId: id, jobId: 1, outcome: "completed" }],
    });
  });

  it("invoice-pdf --id runs the invoice again instead of refusing: its killed run's job is taken back", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--id", String(id), "--out", out]);
    stuck.child.kill("SIGKILL");
    await stuck.done;

    const again = await runCli(["invoice-pdf", "--id", String(id), "--out", out, "--json"], db);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rendered: 1, invoices: [{ invoiceId: id, jobId: 1, outcome: "completed" }] });
  });

  it("cleanup takes back a killed foreground run's job before its own", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--id", String(id), "--out", out]);
    stuck.child.kill("SIGKILL");
    await stuck.done;
    const r = await runCli(["cleanup", "--json"], db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/job 1 \(invoice\.pdf\) lost: worker \S+ stopped \(its process is gone\); now pending/);
    expect(query(db, "select state from job where id = 1")).toEqual([{ state: "pending" }]);
  });

  it("a live run's job is refused to a second invoice-pdf, in plain English", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--id", String(id), "--out", out]);
    try {
      const second = await runCli(["invoice-pdf", "--id", String(id), "--out", out], db);
      expect(second.code).toBe(75);
      expect(second.stderr).toMatch(/an invoice\.pdf job with the same key is already running/);
    } finally {
      stuck.child.kill("SIGKILL");
      await stuck.done;
    }
  });
});

describe("status of a killed foreground run's job", () => {
  it("shows the job as owner gone and --check fails, until a command takes it back", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--id", String(id), "--out", out]);
    stuck.child.kill("SIGKILL");
    await stuck.done;

    const doc = await runJson(["status"], db);
    expect(doc.running).toMatchObject([{ id: 1, type: "invoice.pdf", expired: false, ownerGone: true }]);
    const text = await runCli(["status"], db);
    expect(text.stdout).toMatch(/invoice\.pdf .*\(OWNER GONE\)/);
    const check = await runCli(["status", "--check"], db);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/1 running job\(s\) are held by a process that is gone \(e\.g\. job 1 invoice\.pdf/);

    expect((await runCli(["invoice-pdf", "--id", String(id), "--out", out], db)).code).toBe(0);
    expect((await runJson(["status"], db)).running).toEqual([]);
  });
});

describe("--now does not move leases", () => {
  it("a past --now: a concurrent process does not take the job the foreground run still holds", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--id", String(id), "--out", out, "--now", "2020-01-01T00:00:00Z"]);
    try {
      const worker = await runJson(["process"], db);
      expect(worker).toMatchObject({ rescued: 0, claimed: 0 });
      expect(query(db, "select state from job where id = 1")).toEqual([{ state: "running" }]);
    } finally {
      stuck.child.kill("SIGKILL");
      await stuck.done;
    }
  });

  it("a future --now: another machine takes back a killed run's job once its real lease has expired", async () => {
    const { db, out, dir, id } = await invoiceDb();
    const stuck = await stuckInvoicePdf(db, dir, ["--id", String(id), "--out", out, "--now", "2027-06-01T00:00:00Z"], {
      LEADJOBS_LEASE: "1s",
    });
    stuck.child.kill("SIGKILL");
    await stuck.done;
    // Another host cannot see the dead process: only the lease's expiry (1 s on the real clock) returns the job there.
    const elsewhere = { env: { LEADJOBS_HOST: "m2" } };
    let rescued = 0;
    for (const end = Date.now() + 30_000; rescued === 0 && Date.now() < end; await sleep(200)) {
      rescued = (await runJson(["process", "--type", "noop"], db, elsewhere)).rescued;
    }
    expect(rescued).toBe(1);
    expect(query(db, "select state from job where id = 1")).toEqual([{ state: "pending" }]);
  });
});
