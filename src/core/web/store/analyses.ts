import type { WebAnalysisRow } from "../schema.ts";
import type { Db } from "../../db/handle.ts";
import { toInstant } from "../../time.ts";
import type { SiteAnalysis } from "../analyse-site.ts";
import type { Detection } from "../detect.ts";
import { pageRows, type Page, type Paged } from "../../util/paging.ts";

export interface Subject {
  leadId?: number | null;
  orgnr?: string | null;
  /** The site key (host), used when there is no company. */
  site?: string;
}

/** An analysis row's detections (its `technologies` column, written by insertAnalysis). */
export function storedDetections(r: Pick<WebAnalysisRow, "technologies">): Detection[] {
  return JSON.parse(r.technologies) as Detection[];
}

/**
 * Records one analysis (any outcome) with its detections, and stamps the lead's
 * web_analysed_at. Call inside `immediate`.
 */
export async function insertAnalysis(trx: Db, a: SiteAnalysis, subject: Subject, batchId: number | null, now: number): Promise<number> {
  const stamp = toInstant(now);
  const row = await trx
    .insertInto("web_analysis")
    .values({
      orgnr: subject.orgnr ?? null,
      lead_id: subject.leadId ?? null,
      site: a.site,
      url: a.url,
      final_url: a.finalUrl,
      analysis: a.analysis,
      status: a.status,
      via: a.via,
      platform: a.platform,
      technologies: JSON.stringify(a.detections),
      pages: JSON.stringify({ pages: a.pages, notes: a.notes, blocked: a.blocked, errorKind: a.errorKind }),
      error: a.error,
      duration_ms: Math.round(a.durationMs),
      batch_id: batchId,
      analysed_at: stamp,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (a.status === "ok" && a.detections.length > 0) {
    await trx
      .insertInto("web_detection")
      .values(a.detections.map((d) => ({ analysis_id: row.id, name: d.name, grp: d.group, confidence: d.confidence, version: d.version })))
      .execute();
  }
  if (subject.leadId)
    await trx.updateTable("lead").set({ web_analysed_at: stamp, updated_at: stamp }).where("id", "=", subject.leadId).execute();
  return row.id;
}

/** A subject's analyses, newest first. */
export async function analysesOf(db: Db, subject: Subject, limit = 50): Promise<WebAnalysisRow[]> {
  return (await analysesPage(db, subject, { limit, offset: 0 })).items;
}

/** A subject's analyses, newest first: one page, and how many there are in all. */
export async function analysesPage(db: Db, subject: Subject, page: Page): Promise<Paged<WebAnalysisRow>> {
  let q = db.selectFrom("web_analysis").selectAll();
  if (subject.orgnr) q = q.where("orgnr", "=", subject.orgnr);
  else if (subject.leadId) q = q.where("lead_id", "=", subject.leadId);
  else q = q.where("site", "=", subject.site ?? "").where("orgnr", "is", null);
  return pageRows(db, q.orderBy("analysed_at", "desc").orderBy("id", "desc"), page);
}
