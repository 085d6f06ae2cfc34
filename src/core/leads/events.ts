import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

export interface LeadEventInput {
  leadId: number;
  kind: string;
  /** job:123, user:anna */
  actor: string;
  jobId?: number | null;
  detail?: unknown;
  at: number;
}

/** Records what happened to leads; call inside the transaction that made the change. */
export async function recordEvents(trx: Db, events: readonly LeadEventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await trx
      .insertInto("lead_event")
      .values(
        events.slice(i, i + 500).map((e) => ({
          lead_id: e.leadId,
          kind: e.kind,
          actor: e.actor,
          job_id: e.jobId ?? null,
          detail: e.detail === undefined ? null : JSON.stringify(e.detail),
          at: toInstant(e.at),
        })),
      )
      .execute();
  }
}
