import { actingUser } from "../shared/actor.ts";
import { addCompany, handRecord, type HandFields } from "../../core/companies/add.ts";
import { bolagsverketCredentials, hvdClient } from "../../core/companies/enrich.ts";
import { ExitCode } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { orgnrArgument } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface CompaniesAddOptions {
  name?: string;
  legalForm?: string;
  street?: string;
  postcode?: string;
  town?: string;
  municipality?: string;
  sni?: string[];
  description?: string;
  website?: string;
  employees?: string;
  revenueTkr?: string;
  update?: boolean;
  byHand?: boolean;
  json?: boolean;
}

/**
 * `companies add ORGNR`: looked up at Bolagsverket when its credentials are set (the fields
 * given win over its answer), else typed in by hand. A company in the register already is
 * exit 2 unless --update.
 */
export async function companiesAdd(g: GlobalOptions, orgnrText: string, o: CompaniesAddOptions): Promise<number> {
  const orgnr = orgnrArgument(orgnrText);
  const fields: HandFields = {
    name: o.name,
    legal_form: o.legalForm,
    street: o.street,
    postcode: o.postcode,
    town: o.town,
    municipality: o.municipality,
    sni: o.sni?.join(","),
    description: o.description,
    website: o.website,
    employees: o.employees,
    revenue_tkr: o.revenueTkr,
  };
  handRecord(orgnr, fields); // exit 2 before the database is opened
  const configured = Boolean(process.env.BOLAGSVERKET_CLIENT_ID && process.env.BOLAGSVERKET_CLIENT_SECRET);
  const ctx = await openContext(g);
  try {
    await actingUser(ctx.db, undefined); // any user may; an OS account that acts as no user may not
    const client = configured && !o.byHand ? hvdClient(ctx.config, bolagsverketCredentials(ctx.env), ctx.clock) : undefined;
    const r = await addCompany(ctx.db, { orgnr, fields, update: Boolean(o.update), bolagsverket: client, now: ctx.clock() });
    if (o.json) printJson(r);
    else {
      const what = { created: "added", updated: "updated", unchanged: "unchanged:" }[r.outcome];
      printLine(`${what} ${r.orgnr} ${r.name}${r.from === "bolagsverket" ? " (from Bolagsverket)" : ""}`);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
