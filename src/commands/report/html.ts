import { collectDashboard } from "../../core/dashboard/collect.ts";
import { UsageError } from "../../core/errors.ts";
import { writeFileAtomic } from "../../core/integrations/storage.ts";
import { DEFAULT_QUEUE_HEALTH } from "../../core/queue/health.ts";
import { parseDuration } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printLine, stdoutIsTty } from "../shared/output.ts";
import { renderDashboard } from "./html-page.ts";
import { isDirectory } from "../../core/util/is-directory.ts";

export interface ReportHtmlOptions {
  out?: string;
  since?: string;
  now?: string;
}

/**
 * Writes the dashboard page atomically (a reader sees the old page or the whole new one).
 * Silent unless stdout is a terminal, so cron mails only failures.
 */
export async function reportHtml(g: GlobalOptions, o: ReportHtmlOptions): Promise<number> {
  if (!o.out || o.out.trim() === "") throw new UsageError("--out FILE is required: where to write the page");
  if (isDirectory(o.out)) throw new UsageError(`--out ${o.out} is a directory`);
  const window = parseDuration(o.since ?? "30d", "--since");
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const now = ctx.clock();
    const started = performance.now();
    const data = await collectDashboard(ctx.db, {
      dbPath: ctx.store.path,
      now,
      leaseNow: ctx.leaseClock(),
      since: now - window,
      overdueAfterMs: ctx.config.overdueAfter,
      thresholds: DEFAULT_QUEUE_HEALTH,
      ownerGone: ctx.ownerGone,
    });
    const page = renderDashboard(data, { tz: ctx.config.scheduleTimezone });
    const rendered = performance.now();
    await writeFileAtomic(o.out, Buffer.from(page, "utf8"));
    ctx.log.debug(
      `report html: page generated in ${Math.round(rendered - started)} ms, written in ${Math.round(performance.now() - rendered)} ms`,
    );
    if (stdoutIsTty())
      printLine(
        `wrote ${o.out} (${Math.round(page.length / 1024)} KB): ${data.health.ok ? "healthy" : `UNHEALTHY, ${data.health.problems.length} problem(s)`}`,
      );
    return 0;
  } finally {
    await ctx.close();
  }
}
