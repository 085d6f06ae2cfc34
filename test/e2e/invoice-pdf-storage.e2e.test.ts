import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { smtpEnv, smtpSink } from "../helpers/smtp-server.ts";
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
    // --id runs the job the issue queued (one live job per invoice)
    const bad = await runCli(["invoice-pdf", "--id", "1", "--out", UNWRITABLE, "--now", NOW, "--json"], db);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ rendered: 0, retrying: 1, invoices: [{ jobId: 1 }] });
    const good = join(dir, "files");
    // cron's `invoice-pdf --pending` two minutes later runs the retry
    const retry = await runJson(["invoice-pdf", "--pending", "--now", at(2)], db, { env: { LEADJOBS_STORAGE_ROOT: good } });
    expect(retry).toMatchObject({ rendered: 1, failed: 0, retrying: 0, invoices: [{ jobId: 1 }] });
    expect((await runJson(["invoices", "show", "1"], db)).pdfPath).toBe(join(good, "invoices", "acme", "1.pdf"));
  });

  it("a job queued by an older version with `storageRoot` in its payload writes where the setting says", async () => {
    const { db, dir } = await issued();
    await runJson(["jobs", "cancel", "1"], db); // the job: the invoice has one live job at a time
    const old = await runJson(["jobs", "add", "invoice.pdf", "--payload", JSON.stringify({ invoiceId: 1, storageRoot: UNWRITABLE })], db);
    const good = join(dir, "files");
    const run = await runJson(["process", "--json"], db, { env: { LEADJOBS_STORAGE_ROOT: good } });
    expect(run).toMatchObject({ completed: 1, retried: 0 });
    const { job } = await runJson(["jobs", "show", String(old.jobs[0].id)], db);
    expect(job).toMatchObject({ state: "completed", result: { path: join(good, "invoices", "acme", "1.pdf") } });
    expect(existsSync(UNWRITABLE)).toBe(false);
  });
});

/** A 4 KiB tmpfs on a new folder (root only), unmounted after the test; null where it cannot be mounted. */
function tinyDisk(): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), "leadjobs-pdfdisk-"));
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=4k", "tmpfs", dir], { stdio: "ignore" }).status !== 0) {
    rmSync(dir, { recursive: true });
    return null;
  }
  onTestFinished(() => {
    if (spawnSync("umount", [dir], { stdio: "ignore" }).status === 0) rmSync(dir, { recursive: true });
  });
  return dir;
}

describe("storage full for invoice PDFs", () => {
  it("(ENOSPC on a real full tmpfs) tells the tenant's admins at once through the outbox, once a day", async (ctx) => {
    const disk = tinyDisk();
    if (!disk) return ctx.skip("cannot mount a 4 KiB tmpfs (needs root: mount -t tmpfs)");
    const { db } = await issued();
    const smtp = await smtpSink();
    const env = { env: { ...smtpEnv(smtp.port), LEADJOBS_STORAGE_ROOT: disk, LEADJOBS_NOTIFY_OUTPUT: "false" } };
    const dir = join(disk, "invoices", "acme");
    const run = await runJson(["process"], db, env);
    expect(run).toMatchObject({ retried: 1, completed: 1, died: 0 }); // the PDF job to retry; the notice delivered
    expect(smtp.received.map((m) => m.to)).toEqual([["anna@acme.example"]]);
    // unfolded headers, quoted-printable soft line breaks joined
    const mail = smtp.received[0]?.raw.replace(/\r?\n(?=[ \t])/g, "").replace(/=\r?\n/g, "") ?? "";
    expect(mail).toContain(`Subject: Storage full: invoice PDFs could not be written to ${dir}\r\n`);
    expect(mail).toMatch(/invoice 1 could not be written \(ENOSPC: no space left on the device\)/);
    const [job] = (await runJson(["jobs", "list", "--type", "invoice.pdf"], db)).jobs;
    expect(job).toMatchObject({ state: "pending", attempts: 1 });
    expect((await runJson(["jobs", "show", String(job.id)], db)).job.lastError).toBe(
      `storage full (ENOSPC): invoice PDFs could not be written to ${dir}`,
    );
    expect(readdirSync(dir)).toEqual([]); // no temporary file left behind

    // The same full disk again: the job fails, the admins are not told twice the same day.
    const again = await runCli(["invoice-pdf", "--id", "1", "--json"], db, env);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).invoices[0].error).toMatch(/^storage full \(ENOSPC\)/);
    await runJson(["process"], db, env);
    expect(smtp.received).toHaveLength(1);
    expect(query(db, "select recipient, status from notification where kind = 'storage.full'")).toEqual([
      { recipient: "anna@acme.example", status: "sent" },
    ]);
  });
});

describe("temporary files of a render killed while writing", () => {
  /**
   * A pid no process has: above the kernel's pid_max. (The pid of a process that just exited can be
   * given again within seconds where pid_max is 32768 and a test run starts thousands of processes.)
   */
  let deadPids = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8"));
  const deadPid = () => ++deadPids;
  const boot = () => readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim().replace(/-/g, "").slice(0, 8);
  const HOST = { LEADJOBS_HOST: "pdfhost" };

  /** What kill -9 leaves in the folder: ours (gone), a live process's, another host's, an older version's. */
  function leftovers(folder: string) {
    mkdirSync(folder, { recursive: true });
    const names = {
      gone: `.1.pdf.pdfhost~${deadPid()}~${boot()}.0a1b2c3d.tmp`,
      live: `.1.pdf.pdfhost~${process.pid}~${boot()}.0a1b2c3e.tmp`,
      otherHost: `.1.pdf.otherhost~${deadPid()}~${boot()}.0a1b2c3f.tmp`,
      oldGone: `.2.pdf.${deadPid()}.0a1b2c40.tmp`,
      oldRecent: `.3.pdf.${deadPid()}.0a1b2c41.tmp`,
    };
    for (const n of Object.values(names)) writeFileSync(join(folder, n), "x".repeat(22_000));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(folder, names.oldGone), twoHoursAgo, twoHoursAgo);
    return names;
  }
  const kept = (n: ReturnType<typeof leftovers>) => [n.live, n.otherHost, n.oldRecent].sort();

  it("a render into the folder removes those of this host's processes that are gone; cleanup does too", async () => {
    const { db, dir } = await issued();
    const root = join(dir, "files");
    const folder = join(root, "invoices", "acme");
    const names = leftovers(folder);
    const env = { env: { ...HOST, LEADJOBS_STORAGE_ROOT: root } };
    // A minute after the issue: its job is due by then (a command pinned to the same --now as the issue
    // starts its clock there, and may claim before the job's run time, which is that --now plus the
    // milliseconds the issue took).
    expect(await runJson(["invoice-pdf", "--pending", "--now", at(1)], db, env)).toMatchObject({ rendered: 1 });
    expect(
      readdirSync(folder)
        .filter((f) => f.endsWith(".tmp"))
        .sort(),
    ).toEqual(kept(names));
    expect(readdirSync(folder)).toContain("1.pdf");

    rmSync(folder, { recursive: true });
    const again = leftovers(folder);
    const cleanup = await runCli(["cleanup"], db, env);
    expect([cleanup.code, cleanup.stdout, cleanup.stderr]).toEqual([0, "", ""]);
    expect(readdirSync(folder).sort()).toEqual(kept(again));
    leftovers(folder);
    expect((await runJson(["cleanup"], db, env)).pdfTempFiles).toEqual({ removed: 2 });
  });
});
