import { immediate, type Db } from "../db/handle.ts";
import { UnavailableError, UsageError } from "../errors.ts";
import type { HvdClient } from "../integrations/bolagsverket/client.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { readOrganisation } from "./bolagsverket-organisation.ts";
import { writeCompanyInTx } from "./enrich.ts";
import { parseCsvFields, type CsvColumn } from "./formats/csv.ts";
import type { CompanyRecord } from "./record.ts";

/** Fields typed in by hand, as text, named like the CSV columns (the CSV import's checks apply). */
export type HandFields = Partial<Record<Exclude<CsvColumn, "orgnr">, string | undefined>>;

/**
 * The record of a company typed in by hand, checked the way a CSV row is (one set of rules);
 * a field that fails is exit 2. `name` may be left out when Bolagsverket supplies it.
 */
export function handRecord(orgnr: string, fields: HandFields): CompanyRecord {
  const given = Object.entries(fields).filter(([, v]) => v !== undefined) as Array<[CsvColumn, string]>;
  const named = fields.name !== undefined && fields.name.trim() !== "";
  const cells: Array<[CsvColumn, string]> = [
    ["orgnr", orgnr],
    ...given.filter(([k]) => k !== "name"),
    ["name", named ? (fields.name as string) : "-"],
  ];
  const row = parseCsvFields(
    cells.map(([, v]) => v),
    { delimiter: ",", columns: Object.fromEntries(cells.map(([k], i) => [k, i])) },
  );
  if (row.kind !== "company") throw new UsageError(`cannot add ${orgnr}: ${row.reason}`);
  const { name: _placeholder, ...rest } = row.record;
  return named ? row.record : rest;
}

export interface AddCompanyInput {
  orgnr: string;
  fields: HandFields;
  /** Change a company that is in the register already (otherwise that is exit 2). */
  update: boolean;
  /** Look the company up at Bolagsverket; the fields given by hand win over its answer. */
  bolagsverket?: HvdClient | undefined;
  now: number;
  signal?: AbortSignal | undefined;
}

export interface AddCompanyResult {
  orgnr: string;
  name: string;
  outcome: "created" | "updated" | "unchanged";
  from: "bolagsverket" | "hand";
}

/** `companies add`: one company from Bolagsverket's API when a client is given, else from the fields given. */
export async function addCompany(db: Db, i: AddCompanyInput): Promise<AddCompanyResult> {
  const hand = handRecord(i.orgnr, i.fields);
  const existing = async (trx: Db) => {
    const c = await trx.selectFrom("company").select("name").where("orgnr", "=", i.orgnr).executeTakeFirst();
    if (c && !i.update) throw new UsageError(`${i.orgnr} (${c.name}) is already in the register`, { hint: "give --update to change it" });
    return c;
  };
  const before = await existing(db);
  if (!i.bolagsverket && !before && hand.name === undefined)
    throw new UsageError(`--name is needed to add ${i.orgnr} by hand`, {
      hint: "or set BOLAGSVERKET_CLIENT_ID and BOLAGSVERKET_CLIENT_SECRET to look it up",
    });
  const record = i.bolagsverket ? { ...(await lookUp(i.bolagsverket, i.orgnr, i.signal)), ...hand } : hand;
  return immediate(db, async (trx) => {
    await existing(trx);
    const outcome = await writeCompanyInTx(trx, record, i.now, i.bolagsverket ? "bolagsverket-api" : "manual");
    if (outcome === "skipped")
      throw new UnavailableError(`Bolagsverket did not give ${i.orgnr}'s name now`, { hint: "try later, or give --name" });
    const row = await trx.selectFrom("company").select("name").where("orgnr", "=", i.orgnr).executeTakeFirstOrThrow();
    return {
      orgnr: i.orgnr,
      name: row.name,
      outcome,
      from: i.bolagsverket ? "bolagsverket" : "hand",
    };
  });
}

async function lookUp(client: HvdClient, orgnr: string, signal: AbortSignal | undefined): Promise<CompanyRecord> {
  let body: unknown;
  try {
    body = await client.organisationer(orgnr, signal);
  } catch (e) {
    if (e instanceof HvdError && e.kind === "bad_request") throw new UsageError(`Bolagsverket refuses ${orgnr}: ${e.message}`);
    if (e instanceof HvdError) throw new UnavailableError(`Bolagsverket: ${e.message}`, { cause: e });
    throw e;
  }
  const lookup = readOrganisation(body, orgnr);
  if (!lookup.found && "unusable" in lookup) throw new UnavailableError(`Bolagsverket about ${orgnr}: ${lookup.unusable}`);
  if (!lookup.found)
    throw new UsageError(`Bolagsverket has no company ${orgnr}`, { code: "NOT_FOUND", hint: "add it by hand: --by-hand --name NAME" });
  return lookup.record;
}
