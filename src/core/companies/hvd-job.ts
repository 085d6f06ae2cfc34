import * as z from "zod";
import { bolagsverketCredentials, hvdClient } from "./enrich.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import type { LeadjobsError } from "../errors.ts";
import type { HvdClient } from "../integrations/bolagsverket/client.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { rateLimitWaitMs } from "../util/rate-limiter.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import type { JobContext } from "../jobs/types.ts";

const orgnr = z.string().transform((s, ctx) => {
  const c = checkOrgnr(s);
  if (!c.ok) {
    ctx.addIssue({ code: "custom", message: `invalid organisationsnummer ${c.reason}` });
    return z.NEVER;
  }
  return c.orgnr;
});

/** The payload of a job that asks Bolagsverket about companies: 1 to 1000 organisationsnummer. */
export const orgnrsPayload = z.strictObject({
  orgnrs: z.array(orgnr).min(1).max(1000).describe("organisationsnummer to read from Bolagsverket's API"),
});

/**
 * Runs `step` for each organisationsnummer of the job (duplicates once, in the order given) with
 * a Bolagsverket client built from the job's environment. No credentials and refused ones end
 * the job for good; a rate limit with Retry-After sends it back to the queue for that long.
 */
export async function forEachOrgnr<R>(
  ctx: JobContext<{ orgnrs: string[] }>,
  what: string,
  step: (client: HvdClient, orgnr: string) => Promise<R>,
): Promise<R[]> {
  let creds: ReturnType<typeof bolagsverketCredentials>;
  try {
    creds = bolagsverketCredentials(ctx.env);
  } catch (e) {
    throw new PermanentJobError((e as LeadjobsError).message, { cause: e });
  }
  const client = hvdClient(ctx.config, creds, ctx.now);
  const orgnrs = [...new Set(ctx.payload.orgnrs)];
  const results: R[] = [];
  for (const [i, o] of orgnrs.entries()) {
    try {
      results.push(await step(client, o));
    } catch (e) {
      if (e instanceof HvdError && e.kind === "rate_limited" && e.retryAfterMs !== undefined)
        throw new RetryLaterError(e.message, rateLimitWaitMs(e.retryAfterMs), { cause: e });
      if (e instanceof HvdError && e.kind === "auth") throw new PermanentJobError(e.message, { cause: e });
      throw e;
    }
    ctx.progress({ done: i + 1, total: orgnrs.length, message: `${what} ${i + 1}/${orgnrs.length}` });
  }
  return results;
}
