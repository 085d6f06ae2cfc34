import { immediate, type Db } from "../db/handle.ts";
import { HvdClient } from "../integrations/bolagsverket/client.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { readOrganisation } from "./bolagsverket-organisation.ts";
import { UnavailableError } from "../errors.ts";
import { toInstant } from "../time.ts";
import type { Clock } from "../types.ts";
import { COMPANY_FIELDS, columnValue, type CompanyColumn, type CompanyRecord } from "./record.ts";

export type EnrichOutcome = "created" | "updated" | "unchanged" | "not_found" | "partial" | "failed";

export interface EnrichResult {
  orgnr: string;
  outcome: EnrichOutcome;
  name: string | null;
  /** Parts of the answer whose source was down (left as they were). */
  unavailable: string[];
  error?: string;
}

export interface BolagsverketCredentials {
  clientId: string;
  clientSecret: string;
}

/** The client id and secret from the environment; exit 69 naming the variables when missing. */
export function bolagsverketCredentials(env: Readonly<Record<string, string | undefined>>): BolagsverketCredentials {
  const clientId = env.BOLAGSVERKET_CLIENT_ID;
  const clientSecret = env.BOLAGSVERKET_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new UnavailableError("Bolagsverket credentials are not set: BOLAGSVERKET_CLIENT_ID and BOLAGSVERKET_CLIENT_SECRET", {
      hint: "apply for them at Bolagsverket's API portal (free)",
    });
  }
  return { clientId, clientSecret };
}

export function hvdClient(
  settings: { bolagsverketBaseUrl: string; bolagsverketTokenUrl: string },
  creds: BolagsverketCredentials,
  clock: Clock,
): HvdClient {
  return new HvdClient({
    baseUrl: settings.bolagsverketBaseUrl,
    tokenUrl: settings.bolagsverketTokenUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    clock,
  });
}

/**
 * Looks one company up at Bolagsverket and writes what came back: a new company, or the
 * fields that changed. An unknown number is `not_found`; a number Bolagsverket refuses, or an
 * answer that cannot be used (unreadable, about another organisation), is `failed`. A transport failure (API down, rate limited) is thrown: the run is retried later.
 */
export async function enrichCompany(
  db: Db,
  client: HvdClient,
  orgnr: string,
  o: { now: number; signal?: AbortSignal },
): Promise<EnrichResult> {
  let body: unknown;
  try {
    body = await client.organisationer(orgnr, o.signal);
  } catch (e) {
    if (e instanceof HvdError && e.kind === "bad_request")
      return { orgnr, outcome: "failed", name: null, unavailable: [], error: e.message };
    throw e;
  }
  const lookup = readOrganisation(body, orgnr);
  if (!lookup.found)
    return "unusable" in lookup
      ? { orgnr, outcome: "failed", name: null, unavailable: [], error: lookup.unusable }
      : { orgnr, outcome: "not_found", name: null, unavailable: [] };
  const outcome = await writeRecord(db, lookup.record, o.now);
  const partial = lookup.unavailable.length > 0;
  return {
    orgnr,
    outcome: outcome === "skipped" || (partial && outcome !== "created") ? "partial" : outcome,
    name: lookup.record.name ?? null,
    unavailable: lookup.unavailable,
  };
}

async function writeRecord(db: Db, r: CompanyRecord, now: number): Promise<"created" | "updated" | "unchanged" | "skipped"> {
  return immediate(db, (trx) => writeCompanyInTx(trx, r, now));
}

/**
 * Writes a company record inside the caller's transaction: a new company, or the fields that
 * changed. `source` "manual" is a company typed in by hand (`companies add`): no enriched_at.
 */
export async function writeCompanyInTx(
  trx: Db,
  r: CompanyRecord,
  now: number,
  source: "bolagsverket-api" | "manual" = "bolagsverket-api",
): Promise<"created" | "updated" | "unchanged" | "skipped"> {
  const stamp = toInstant(now);
  const enriched = source === "bolagsverket-api" ? { enriched_at: stamp } : {};
  const columns = (Object.keys(COMPANY_FIELDS) as CompanyColumn[]).filter((c) => r[COMPANY_FIELDS[c]] !== undefined);
  const values: Record<string, string | number | null> = {};
  for (const c of columns) values[c] = columnValue(r, c);
  const current = await trx.selectFrom("company").selectAll().where("orgnr", "=", r.orgnr).executeTakeFirst();
  if (!current) {
    if (!r.name) return "skipped"; // its name part was down: nothing to create a company from
    await trx
      .insertInto("company")
      .values({
        ...values,
        orgnr: r.orgnr,
        name: r.name,
        status: r.status ?? "active",
        sni_codes: (values.sni_codes as string | undefined) ?? "[]",
        reklamsparr: r.reklamsparr ? 1 : 0,
        source,
        ...enriched,
        created_at: stamp,
        updated_at: stamp,
      } as never)
      .execute();
    return "created";
  }
  const stored = current as Record<string, unknown>;
  // JSON columns compare parsed: PostgreSQL's jsonb reads back normalised ('["a", "b"]').
  const same = (c: CompanyColumn) =>
    c === "sni_codes" && typeof stored[c] === "string" && typeof values[c] === "string"
      ? JSON.stringify(JSON.parse(stored[c])) === JSON.stringify(JSON.parse(values[c]))
      : stored[c] === values[c];
  const changed = columns.filter((c) => !same(c));
  const set: Record<string, unknown> = { ...enriched, missing_since: null };
  for (const c of changed) set[c] = values[c];
  if (changed.length > 0) set.updated_at = stamp;
  await trx
    .updateTable("company")
    .set(set as never)
    .where("orgnr", "=", r.orgnr)
    .execute();
  return changed.length > 0 ? "updated" : "unchanged";
}
