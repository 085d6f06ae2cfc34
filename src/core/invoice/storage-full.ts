import { tenantAdmins } from "../backoffice/admins.ts";
import { immediate, type Db } from "../db/handle.ts";
import type { ChannelName } from "../notify/channels.ts";
import { enqueueNotifications } from "../notify/outbox.ts";
import { addressed } from "../notify/recipients.ts";
import { toInstant } from "../time.ts";

/** Error codes of a write refused for want of space: the disk is full, or the user's quota is used up. */
export function isStorageFull(e: unknown): e is NodeJS.ErrnoException & { code: "ENOSPC" | "EDQUOT" } {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

export interface StorageFull {
  tenantId: number;
  tenantName: string;
  /** The folder the PDF was to go to. */
  dir: string;
  code: string;
  invoiceId: number;
  number: number | null;
  jobId: number;
  channels: readonly ChannelName[];
  now: number;
}

/**
 * Tells the tenant's admins at once that invoice PDFs cannot be written (the outbox: a webhook
 * post and an email each), not only by the dead-job notice after the last retry. One notice per
 * tenant, folder and day: every PDF job that fails on the same full disk does not add another.
 */
export async function alertStorageFull(db: Db, s: StorageFull): Promise<void> {
  await immediate(db, async (trx) => {
    const admins = (await tenantAdmins(trx, [s.tenantId])).get(s.tenantId) ?? [];
    const subject = `Storage full: invoice PDFs could not be written to ${s.dir}`;
    const body =
      `${s.tenantName}: the PDF of invoice ${s.number ?? `id ${s.invoiceId}`} could not be written (${s.code}: ` +
      `${s.code === "EDQUOT" ? "the disk quota is used up" : "no space left on the device"}). ` +
      "Invoice PDFs wait until space is freed; their jobs are retried after 1, 5 and 15 minutes.";
    await enqueueNotifications(
      trx,
      addressed(
        {
          kind: "storage.full",
          tenantId: s.tenantId,
          subject,
          body,
          data: { dir: s.dir, code: s.code, invoiceId: s.invoiceId, jobId: s.jobId },
          dedupeKey: `storage.full:${s.tenantId}:${toInstant(s.now).slice(0, 10)}:${s.dir}`,
        },
        admins,
        s.channels,
        "operators",
      ),
      s.now,
    );
  });
}
