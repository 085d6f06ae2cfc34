import { appendAudit } from "../audit/append.ts";
import { immediate, type Db } from "../db/handle.ts";
import { resolveLead } from "./leads.ts";

export interface RemovedLead {
  id: number;
  orgnr: string;
  name: string;
  events: number;
  analyses: number;
}

/**
 * Removes leads with their events and analyses (the company stays in the register). Every
 * reference is resolved first, so one unknown lead removes nothing. The lead and its event trail
 * survive in the audit log (table `lead`, action `delete`), written in the same transaction.
 */
export async function removeLeads(db: Db, refs: readonly string[], actor: string, now: number): Promise<RemovedLead[]> {
  const named = await Promise.all(refs.map((r) => resolveLead(db, r)));
  const leads = named.filter((l, k) => named.findIndex((o) => o.id === l.id) === k);
  return immediate(db, async (trx) => {
    const out: RemovedLead[] = [];
    for (const lead of leads) {
      const company = await trx.selectFrom("company").select("name").where("orgnr", "=", lead.orgnr).executeTakeFirst();
      const events = await trx
        .selectFrom("lead_event")
        .select(["at", "kind", "actor", "job_id", "detail"])
        .where("lead_id", "=", lead.id)
        .orderBy("at")
        .orderBy("id")
        .execute();
      const analyses = await trx.selectFrom("lead_analysis").select("id").where("lead_id", "=", lead.id).execute();
      const { web_summary: _summary, ...kept } = lead;
      await appendAudit(
        trx,
        [
          {
            tenantId: null,
            table: "lead",
            rowId: lead.id,
            action: "delete",
            old: { ...kept, events: events.map((e) => ({ ...e, detail: e.detail ? (JSON.parse(e.detail) as unknown) : null })) },
            worker: `user:${actor}`,
          },
        ],
        now,
      );
      await trx.deleteFrom("lead").where("id", "=", lead.id).execute();
      out.push({ id: lead.id, orgnr: lead.orgnr, name: company?.name ?? lead.orgnr, events: events.length, analyses: analyses.length });
    }
    return out;
  });
}
