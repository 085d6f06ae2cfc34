import * as z from "zod";
import { deliverPending } from "./deliver.ts";
import { BACKGROUND_CHANNELS, DELIVER_JOB_ATTEMPTS, DELIVER_JOB_TYPE, nextAttemptAt } from "./outbox.ts";
import { isWebhookUrl, webhookChannel } from "./webhook.ts";
import { fromInstant } from "../time.ts";
import { errorMessage, PermanentJobError, RetryLaterError } from "../errors.ts";
import { emailChannel, smtpSettings } from "./email.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({});

/** Deliveries tried, sent, waiting for a retry and failed; or why nothing was sent. */
export type NotifyDeliverResult = { sent: 0; note: string } | { attempted: number; sent: number; retrying: number; failed: number };

/**
 * Delivers the notification outbox through the background channels (the webhook). Failed
 * deliveries are retried with their own backoff: while some wait, the job snoozes until the
 * earliest retry instead of finishing, so one pending job carries all the retries.
 */
export const notifyDeliverJob: JobDefinition<z.infer<typeof payload>, NotifyDeliverResult> = {
  type: DELIVER_JOB_TYPE,
  summary: "delivers pending notifications (budget alerts, ...) to the webhook and by email, with retries",
  timeoutMs: 10 * 60_000,
  payload,
  // Its snoozes wait for the outbox's own retries, which end by themselves (NOTIFY_RETRY), while
  // new notifications may keep arriving: no snooze ceiling (its death would not be announced anyway).
  retry: { maxAttempts: DELIVER_JOB_ATTEMPTS, maxSnoozes: Number.POSITIVE_INFINITY, maxSnoozeMs: Number.POSITIVE_INFINITY },
  async run(ctx) {
    const url = ctx.config.notifyWebhook;
    if (url && !isWebhookUrl(url)) throw new PermanentJobError("notifyWebhook is not an http(s) URL");
    let smtp: ReturnType<typeof smtpSettings>;
    try {
      smtp = smtpSettings(ctx.config, ctx.env);
    } catch (e) {
      throw new PermanentJobError(errorMessage(e));
    }
    const channels = [...(url ? [webhookChannel(url)] : []), ...(smtp ? [emailChannel(smtp)] : [])];
    if (channels.length === 0) return { result: { sent: 0, note: "no notifyWebhook or smtpHost configured" } };
    const totals = { attempted: 0, sent: 0, retrying: 0, failed: 0 };
    // Loop while there is due work: notifications may arrive while we send.
    for (let round = 0; round < 20 && !ctx.signal.aborted; round++) {
      const s = await deliverPending(ctx.db, { channels, clock: ctx.now, random: ctx.random, signal: ctx.signal });
      totals.attempted += s.attempted;
      totals.sent += s.sent;
      totals.retrying += s.retrying;
      totals.failed += s.failed;
      for (const e of s.errors) ctx.log.warn(`notification ${e.id}: ${e.error}`);
      if (s.attempted === 0) break;
    }
    ctx.addMetrics({ sent: totals.sent, retrying: totals.retrying, failed: totals.failed });
    ctx.progress({ ...totals });
    const next = await nextAttemptAt(ctx.db, BACKGROUND_CHANNELS);
    if (next !== null) {
      const delay = Math.max(1000, fromInstant(next) - ctx.now());
      throw new RetryLaterError(`notifications wait for a retry; next attempt at ${next}`, delay);
    }
    return { result: totals };
  },
};
