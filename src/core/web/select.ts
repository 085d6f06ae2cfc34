import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import { pickNamed } from "../util/pick-named.ts";
import { normaliseSiteUrl } from "./site-url.ts";
import type { ItemSpec } from "./store/batches.ts";

/** Which leads a batch analyses: the leads named by id or orgnr (all leads when none are), filtered by terminal and age. */
export interface LeadSelector {
  leadIds?: number[];
  orgnrs?: string[];
  /** Terminal id, name or the start of one name (as `leads list --terminal`). */
  terminal?: string;
  /** Only leads whose website was not analysed within this many ms (or never). */
  notAnalysedSinceMs?: number;
  /** At most this many leads (the job payload form: one batch per run). */
  limit?: number;
}

/**
 * The selected leads as batch items, least recently analysed first. A lead's website is its
 * own, else its company's; leads without one become skipped items. Unknown lead ids, orgnrs
 * or terminals are a UsageError (nothing has been written yet).
 */
export async function selectLeadItems(db: Db, s: LeadSelector, now: number): Promise<ItemSpec[]> {
  let q = db
    .selectFrom("lead")
    .innerJoin("company", "company.orgnr", "lead.orgnr")
    .select(["lead.id", "lead.orgnr", "lead.website as leadSite", "company.website as companySite", "lead.web_analysed_at"]);
  if (s.leadIds || s.orgnrs) {
    // Explicit lists: the leads named by id or by organisationsnummer, together.
    const ids = [...new Set(s.leadIds ?? [])];
    const found = new Set(
      (
        await db
          .selectFrom("lead")
          .select("id")
          .where("id", "in", ids.length > 0 ? ids : [-1])
          .execute()
      ).map((r) => r.id),
    );
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw new UsageError(
        `no lead with id ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ""}`,
        { code: "NOT_FOUND" },
      );
    const nrs = [...new Set(s.orgnrs ?? [])];
    const byOrgnr = await db
      .selectFrom("lead")
      .select(["id", "orgnr"])
      .where("orgnr", "in", nrs.length > 0 ? nrs : [""])
      .execute();
    const missingNrs = nrs.filter((n) => !byOrgnr.some((r) => r.orgnr === n));
    if (missingNrs.length > 0)
      throw new UsageError(`no lead for organisationsnummer ${missingNrs.slice(0, 5).join(", ")}`, { code: "NOT_FOUND" });
    const all = [...ids, ...byOrgnr.map((r) => r.id)];
    q = q.where("lead.id", "in", all.length > 0 ? all : [-1]);
  }
  if (s.terminal !== undefined) {
    const terminals = await db.selectFrom("terminal").select(["id", "name"]).orderBy("name").execute();
    q = q.where("lead.terminal_id", "=", pickNamed(terminals, s.terminal, "terminal").id);
  }
  if (s.notAnalysedSinceMs !== undefined) {
    const cutoff = toInstant(now - s.notAnalysedSinceMs);
    q = q.where((eb) => eb.or([eb("lead.web_analysed_at", "is", null), eb("lead.web_analysed_at", "<", cutoff)]));
  }
  q = q.orderBy(sql`lead.web_analysed_at is not null`).orderBy("lead.web_analysed_at").orderBy("lead.id");
  if (s.limit !== undefined) q = q.limit(s.limit);
  const rows = await q.execute();
  return rows.map((r) => ({ leadId: r.id, orgnr: r.orgnr, url: siteOf(r.leadSite ?? r.companySite) }));
}

function siteOf(raw: string | null): string | null {
  if (!raw?.trim()) return null;
  try {
    return normaliseSiteUrl(raw);
  } catch {
    return null; // an unusable website value counts as none
  }
}

/** Sites given directly (`--url`), without leads. */
export function urlItems(urls: string[]): ItemSpec[] {
  return urls.map((u) => ({ leadId: null, orgnr: null, url: normaliseSiteUrl(u) }));
}
