import { describeChange, latestWebChanges, webChangeHistory } from "../../core/web/changes.ts";
import { analysesPage, storedDetections } from "../../core/web/store/analyses.ts";
import { localSiteUrl } from "../../core/web/site-url.ts";
import { resolveSubject } from "../../core/web/subject.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { bold, printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";
import { parseStoredJson } from "../../core/util/stored-json.ts";

export interface WebShowOptions extends PagingFlags {
  history?: boolean;
  json?: boolean;
}

/** The latest website analysis of a lead, company or site, its evidence, and what changed. */
export async function webShow(g: GlobalOptions, what: string, o: WebShowOptions): Promise<number> {
  const page = pageOption(o, 10);
  const target = localSiteUrl(what) ?? what;
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const subject = await resolveSubject(ctx.db, target);
    const { items: rows, total } = await analysesPage(ctx.db, subject, page);
    const latestOk = rows.find((r) => r.status === "ok");
    const changes = o.history ? await webChangeHistory(ctx.db, subject) : await latestWebChanges(ctx.db, subject);
    if (o.json) {
      printJson({
        subject,
        ...pageJson(page, total, rows.length),
        analyses: rows.map((r) => ({
          id: r.id,
          analysedAt: r.analysed_at,
          analysis: r.analysis,
          status: r.status,
          url: r.url,
          finalUrl: r.final_url,
          via: r.via,
          platform: r.platform,
          error: r.error,
          durationMs: r.duration_ms,
          batch: r.batch_id,
          detections: storedDetections(r),
          pages: parseStoredJson(r.pages),
        })),
        changes: changes.map((c) => ({ ...c, text: describeChange(c) })),
      });
      return ExitCode.Ok;
    }
    const counted = `${total} analys${total === 1 ? "is" : "es"}`;
    if (rows.length === 0) {
      printLine(`${subject.label}: ${pastTheEnd(page, total, "analyses") ?? "no website analysis yet"}`);
      return ExitCode.Ok;
    }
    printLine(bold(`${subject.label}: ${counted}`));
    await printTable(
      ["id", "when", "type", "status", "platform", "via", "note"],
      rows.map((r) => [r.id, r.analysed_at, r.analysis, r.status, r.platform, r.via, truncate(r.error, 50)]),
    );
    printMore(page, total, rows.length);
    if (latestOk) {
      printLine(bold(`detected in analysis ${latestOk.id} (${latestOk.analysed_at}, ${latestOk.url})`));
      const detections = storedDetections(latestOk);
      await printTable(
        ["technology", "group", "confidence", "version", "evidence"],
        detections.map((d) => [
          d.name,
          d.group,
          d.confidence,
          d.version,
          truncate(d.evidence.map((e) => `${e.field}${e.key ? `[${e.key}]` : ""}: ${e.match}`).join(" | "), 70),
        ]),
      );
    }
    printLine(bold(o.history ? "changes over time" : "changes since the previous analysis"));
    if (changes.length === 0) printLine("  none");
    for (const c of changes) printLine(`  ${describeChange(c)}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
