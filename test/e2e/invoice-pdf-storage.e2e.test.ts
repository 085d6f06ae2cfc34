import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "backoffice");
const NOW = "2026-11-22T08:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
/** A directory that cannot be made, even by root. */
const UNWRITABLE = "/proc/sys/leadjobs-nowhere";

/** The fixture tenant with one issued invoice (its invoice.pdf job queued by the issue). */
async function issued(): Promise<{ db: string; dir: string }> {
  const dir = tempDir();
  const db = join(dir, "bo.db");
  await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
  const args = ["invoices", "add", "--tenant", "acme", "--client", "K-100", "--date", "2026-11-20", "--now", NOW];
  await runJson([...args, "--line", "Takarbete;2;tim;650", "--issue"], db);
  return { db, dir };
}

describe("the invoice PDF folder is the storageRoot setting, read when the job runs", () => {
  it("invoice-pdf --out to a folder that cannot be made: fixing the setting and retrying renders it there", async () => {
    const { db, dir } = await issued();
    const bad = await runCli(["invoice-pdf", "--id", "1", "--out", UNWRITABLE, "--now", NOW, "--json"], db);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ rendered: 0, retrying: 1 });
    const good = join(dir, "files");
    // cron's `invoice-pdf --pending` two minutes later runs the retry (and the job the issue queued)
    const retry = await runJson(["invoice-pdf", "--pending", "--now", at(2)], db, { env: { LEADJOBS_STORAGE_ROOT: good } });
    expect(retry).toMatchObject({ rendered: 2, failed: 0, retrying: 0 });
    expect((await runJson(["invoices", "show", "1"], db)).pdfPath).toBe(join(good, "invoices", "acme", "1.pdf"));
  });

  it("a job queued by an older version with `storageRoot` in its payload writes where the setting says", async () => {
    const { db, dir } = await issued();
    const old = await runJson(["jobs", "add", "invoice.pdf", "--payload", JSON.stringify({ invoiceId: 1, storageRoot: UNWRITABLE })], db);
    const good = join(dir, "files");
    const run = await runJson(["process", "--json"], db, { env: { LEADJOBS_STORAGE_ROOT: good } });
    expect(run).toMatchObject({ completed: 2, retried: 0 });
    const { job } = await runJson(["jobs", "show", String(old.jobs[0].id)], db);
    expect(job).toMatchObject({ state: "completed", result: { path: join(good, "invoices", "acme", "1.pdf") } });
    expect(existsSync(UNWRITABLE)).toBe(false);
  });
});
