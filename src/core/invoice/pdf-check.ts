import { immediate, type Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

/** How the check sees a PDF on disk: fileSignature and fileSha256 of core/integrations/storage.ts. */
export interface PdfFiles {
  signature(path: string): string | null;
  sha256(path: string): Promise<string | null>;
}

/** A file read and found to match its recorded sha256, with its signature at the time. */
interface Intact {
  id: number;
  path: string;
  sha256: string;
  signature: string;
}

/** Bytes that matched stay trusted this long while the file's signature is unchanged. */
const TRUST_MS = 24 * 60 * 60 * 1000;

/**
 * The rendered, up-to-date invoices whose PDF is gone or whose bytes no longer match the recorded
 * sha256. A file is read only when its signature (size, inode, modification and change time)
 * differs from the one recorded when its bytes last matched, or when that was over a day ago:
 * cron runs this every five minutes over every PDF ever rendered. Any write to the file changes
 * its change time, which cannot be set back; the daily read covers what a signature cannot show
 * (a write within the file system's timestamp granularity of the last read, media errors).
 * Files read and found intact get their signature and time recorded (at `now`).
 */
export async function changedPdfs(db: Db, files: PdfFiles, now: number): Promise<Array<{ id: number; updated_at: string }>> {
  const rendered = await db
    .selectFrom("invoice")
    .select(["id", "updated_at", "pdf_path", "pdf_sha256", "pdf_file_stat", "pdf_verified_at"])
    .where("status", "=", "issued")
    .where("pdf_path", "is not", null)
    .where("pdf_source_updated_at", "=", (eb) => eb.ref("updated_at"))
    .orderBy("id")
    .execute();
  const trustedSince = toInstant(now - TRUST_MS);
  const changed: Array<{ id: number; updated_at: string }> = [];
  const intact: Intact[] = [];
  for (const r of rendered) {
    const path = r.pdf_path as string;
    const signature = files.signature(path);
    if (signature === null) {
      changed.push(r);
      continue;
    }
    if (signature === r.pdf_file_stat && r.pdf_verified_at !== null && r.pdf_verified_at > trustedSince) continue;
    const sha256 = await files.sha256(path);
    if (sha256 === null || sha256 !== r.pdf_sha256) changed.push(r);
    // Recorded only if the file was not written while it was read (its signature held).
    else if (files.signature(path) === signature) intact.push({ id: r.id, path, sha256, signature });
  }
  if (intact.length > 0) await recordIntact(db, intact, now);
  return changed;
}

/** Records files found intact; a PDF rendered again meanwhile (another path or sha256) is left as its job recorded it. */
async function recordIntact(db: Db, intact: readonly Intact[], now: number): Promise<void> {
  const stamp = toInstant(now);
  await immediate(db, async (trx) => {
    for (const f of intact)
      await trx
        .updateTable("invoice")
        .set({ pdf_file_stat: f.signature, pdf_verified_at: stamp })
        .where("id", "=", f.id)
        .where("pdf_path", "=", f.path)
        .where("pdf_sha256", "=", f.sha256)
        .execute();
  });
}
