import * as z from "zod";
import { deactivateLinks, LINK_BATCH, type LinkCleanupSummary } from "./links.ts";
import { pruneViews, type ViewPruneSummary } from "./views.ts";
import { parseDuration } from "../time.ts";
import { durationField } from "../jobs/duration-field.ts";
import { PermanentJobError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({
  viewRetention: durationField.optional().describe("delete link views older than this; default: the viewRetention setting (90d)"),
  batchSize: z.number().int().min(1).max(1000).optional().describe("links deactivated per transaction (default 100)"),
});

/** What a share-link cleanup did: the links deactivated (and failed), the views deleted. */
export interface LinksCleanupResult {
  links: LinkCleanupSummary;
  views: ViewPruneSummary;
}

/**
 * Nightly share-link cleanup: deactivates expired and used-up links (batches of 100, one audit
 * event each, links changed meanwhile skipped) and deletes link views past the retention.
 * Links that fail are counted; `status` flags a run that failed on more than 100.
 */
export const linksCleanupJob: JobDefinition<z.infer<typeof payload>, LinksCleanupResult> = {
  type: "links.cleanup",
  summary: "deactivates expired and used-up share links, deletes old link views",
  timeoutMs: 30 * 60_000,
  payload,
  async run(ctx) {
    const now = ctx.now();
    const retention = ctx.payload.viewRetention ? parseDuration(ctx.payload.viewRetention) : ctx.config.viewRetention;
    if (retention <= 0) throw new PermanentJobError("viewRetention must be longer than 0 (0 would delete every link view)");
    const links = await deactivateLinks(ctx.db, {
      now,
      worker: `job:${ctx.job.id}`,
      batchSize: ctx.payload.batchSize ?? LINK_BATCH,
      signal: ctx.signal,
    });
    const views = await pruneViews(ctx.db, { before: now - retention, signal: ctx.signal });
    const report: LinksCleanupResult = { links, views };
    ctx.progress({ ...report });
    ctx.addMetrics({ deactivated: links.deactivated, skipped: links.skipped, failed: links.failed, viewsDeleted: views.deleted });
    for (const f of links.failures.slice(0, 5)) ctx.log.warn(`share link ${f.linkId}: ${f.error}`);
    return { result: report };
  },
};
