import { z } from "zod";
import { checkOrgnr } from "../domain/orgnr.ts";
import { recordRefreshOutcome } from "../tracking/refresh-state.ts";
import { PermanentJobError, type JobDefinition } from "./types.ts";

const payload = z.strictObject({
  orgnr: z.string().refine((v) => /^\d{10}$/.test(v) && checkOrgnr(v).ok, "expected a valid 10-digit organisationsnummer"),
});

/** Why the refresh did nothing; a later change plugs the website analyser in here. */
export const NO_ANALYSER = "no analyser configured";

/**
 * Refreshes one tracked company; enqueued by the rank cadence of `leadjobs enqueue`.
 * Records the attempt in the company's refresh state (last refreshed, outcome, failures in a
 * row). Until the website analysis exists it records "no analyser configured". The analyser
 * should record `ok` on success and `failed` once the job will not be retried any more
 * (PermanentJobError, or `job.attempt >= job.maxAttempts`), so failures in a row count jobs.
 */
export const companyRefreshJob: JobDefinition<z.infer<typeof payload>> = {
  type: "company.refresh",
  summary: "refreshes a tracked company (records \"no analyser configured\" until website analysis exists)",
  payload,
  async run({ payload: p, db, now, config }) {
    const company = await db.selectFrom("company").select("orgnr").where("orgnr", "=", p.orgnr).executeTakeFirst();
    if (!company) throw new PermanentJobError(`company ${p.orgnr} is no longer in the database`);
    await recordRefreshOutcome(db, p.orgnr, { outcome: "skipped", message: NO_ANALYSER }, now(), config.refreshFailureThreshold);
    return { result: { orgnr: p.orgnr, outcome: "skipped", message: NO_ANALYSER }, metrics: { refreshSkipped: 1 } };
  },
};
