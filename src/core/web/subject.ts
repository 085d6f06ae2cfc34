import { checkOrgnr } from "../domain/orgnr.ts";
import type { Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { normaliseSiteUrl, siteKey } from "./site-url.ts";
import type { Subject } from "./store/analyses.ts";

/** A lead id, an organisationsnummer or a web address, as the subject of web analyses. */
export async function resolveSubject(db: Db, text: string): Promise<Subject & { label: string }> {
  const t = text.trim();
  if (/^\d{1,9}$/.test(t)) {
    const lead = await db.selectFrom("lead").select(["id", "orgnr"]).where("id", "=", Number(t)).executeTakeFirst();
    if (!lead) throw new UsageError(`no lead with id ${t}`, { code: "NOT_FOUND" });
    return { orgnr: lead.orgnr, leadId: lead.id, label: `lead ${lead.id} (${lead.orgnr})` };
  }
  const nr = checkOrgnr(t);
  if (nr.ok) return { orgnr: nr.orgnr, label: nr.orgnr };
  if (/^file:/i.test(t)) return { site: siteKey(t), label: t };
  return { site: siteKey(normaliseSiteUrl(t)), label: siteKey(normaliseSiteUrl(t)) };
}
