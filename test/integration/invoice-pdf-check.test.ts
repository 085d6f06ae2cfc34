import { createHash } from "node:crypto";
import { appendFileSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileSha256, fileSignature } from "../../src/core/integrations/storage.ts";
import { pendingInvoices } from "../../src/core/invoice/pending.ts";
import { recordPdf } from "../../src/core/invoice/pdf-record.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { addClient, addInvoice, addTenant, line, T0 } from "../helpers/backoffice.ts";
import { tempDir, testStore } from "../helpers/store.ts";

const HOUR = 3_600_000;

/** Three issued invoices with their PDFs written and recorded at T0, as the invoice.pdf job leaves them. */
async function rendered() {
  const { db } = await testStore();
  const t = await addTenant(db);
  const c = await addClient(db, t.id);
  const dir = tempDir();
  const paths: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const inv = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("x", 1000, 100_00)] });
    const path = join(dir, `${i}.pdf`);
    writeFileSync(path, `%PDF-1.7 invoice ${i}\n`);
    const row = await db.selectFrom("invoice").select("updated_at").where("id", "=", inv.id).executeTakeFirstOrThrow();
    const sha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
    const fileStat = await fileSignature(path);
    expect(
      await recordPdf(db, { invoiceId: inv.id, sourceUpdatedAt: row.updated_at, path, sha256, fileStat, now: T0, worker: "job:1" }),
    ).toBe(true);
    paths.push(path);
  }
  return { db, paths };
}

/** The real file checks, counting the files read. */
function countingFiles() {
  const read: string[] = [];
  return {
    read,
    files: {
      signature: fileSignature,
      sha256: (path: string) => {
        read.push(path);
        return fileSha256(path);
      },
    },
  };
}

const pendingAt = (db: Db, files: ReturnType<typeof countingFiles>["files"], now: number) =>
  pendingInvoices(db, undefined, { files: { on: files, now } }).then((p) => p.ids);

describe("invoice-pdf --pending's check of rendered PDFs", () => {
  it("reads no PDF that did not change on disk, and finds one that did", async () => {
    const { db, paths } = await rendered();
    const { read, files } = countingFiles();
    expect(await pendingAt(db, files, T0 + 5 * 60_000)).toEqual([]);
    expect(await pendingAt(db, files, T0 + 10 * 60_000)).toEqual([]);
    expect(read).toEqual([]);

    appendFileSync(paths[1] as string, "tampered");
    expect(await pendingAt(db, files, T0 + 15 * 60_000)).toEqual([2]);
    expect(read).toEqual([paths[1]]);

    rmSync(paths[2] as string);
    expect(await pendingAt(db, files, T0 + 20 * 60_000)).toEqual([2, 3]);
    expect(read).toEqual([paths[1], paths[1]]); // a missing file is not read
  });

  it("finds bytes changed in place with the same size and the modification time set back", async () => {
    const { db, paths } = await rendered();
    const path = paths[0] as string;
    const before = statSync(path);
    writeFileSync(path, readFileSync(path, "utf8").replace("invoice", "INVOICE"));
    utimesSync(path, before.atime, before.mtime);
    expect(statSync(path).size).toBe(before.size);
    expect(await pendingAt(db, countingFiles().files, T0 + 5 * 60_000)).toEqual([1]);
  });

  it("reads each PDF again once a day, and a file found intact is not read again that day", async () => {
    const { db, paths } = await rendered();
    const { read, files } = countingFiles();
    expect(await pendingAt(db, files, T0 + 23 * HOUR)).toEqual([]);
    expect(read).toEqual([]);
    expect(await pendingAt(db, files, T0 + 25 * HOUR)).toEqual([]);
    expect(read).toEqual(paths);
    expect(await pendingAt(db, files, T0 + 26 * HOUR)).toEqual([]);
    expect(read).toEqual(paths);
  });

  it("reads once the PDFs recorded before this check existed (no signature yet), then trusts them", async () => {
    const { db, paths } = await rendered();
    await db.updateTable("invoice").set({ pdf_file_stat: null, pdf_verified_at: null }).execute();
    const { read, files } = countingFiles();
    expect(await pendingAt(db, files, T0 + HOUR)).toEqual([]);
    expect(read).toEqual(paths);
    expect(await pendingAt(db, files, T0 + 2 * HOUR)).toEqual([]);
    expect(read).toEqual(paths);
  });
});
