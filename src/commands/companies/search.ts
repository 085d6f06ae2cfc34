import { normaliseLegalForm } from "../../core/companies/legal-forms.ts";
import { searchCompanies } from "../../core/companies/search.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption } from "../shared/options.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";

export interface CompaniesSearchOptions extends PagingFlags {
  sni?: string[];
  town?: string;
  municipality?: string;
  legalForm?: string;
  active?: boolean;
  minRevenue?: string;
  includeReklamsparr?: boolean;
  json?: boolean;
}

export async function companiesSearch(g: GlobalOptions, words: string[], o: CompaniesSearchOptions): Promise<number> {
  const query = words.join(" ").trim();
  for (const code of o.sni ?? []) {
    if (!/^\d{1,5}$/.test(code.replace(/\./g, ""))) throw new UsageError(`invalid --sni "${code}": an SNI code or prefix of 1 to 5 digits`);
  }
  const legalForm = o.legalForm === undefined ? undefined : normaliseLegalForm(o.legalForm);
  if (legalForm === null) throw new UsageError(`invalid --legal-form "${o.legalForm}": a code such as AB, HB, KB, EF, E`);
  const page = pageOption(o, 20, 1000);
  const search = {
    query,
    sni: o.sni?.map((c) => c.replace(/\./g, "")),
    town: o.town,
    municipality: o.municipality,
    legalForm,
    active: Boolean(o.active),
    includeReklamsparr: Boolean(o.includeReklamsparr),
    minRevenueTkr: intOption(o.minRevenue, "--min-revenue", 0),
    ...page,
  };
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const started = performance.now();
    const result = await searchCompanies(ctx.db, search);
    const tookMs = Math.round((performance.now() - started) * 10) / 10;
    ctx.log.debug(`match: ${result.match.join("  |  ")} (${tookMs} ms)`);
    if (o.json) {
      printJson({
        query,
        filters: { ...search, query: undefined },
        ...pageJson(page, result.total, result.hits.length),
        more: result.more,
        totalCapped: result.totalCapped,
        tookMs,
        companies: result.hits,
      });
      return ExitCode.Ok;
    }
    if (result.hits.length === 0) {
      printLine(pastTheEnd(page, result.total, "companies") ?? "no matching companies");
      return ExitCode.Ok;
    }
    await printTable(
      ["orgnr", "name", "form", "town", "sni", "status", "lead"],
      result.hits.map((h) => [
        h.orgnr,
        truncate(h.name, 44),
        h.legalForm,
        h.town,
        h.sniCodes.slice(0, 2).join(" "),
        `${h.status}${h.missingSince ? " (gone)" : ""}${h.reklamsparr ? " (reklamspärr)" : ""}`,
        h.leadId,
      ]),
    );
    printMore(page, result.total, result.hits.length, { atLeast: result.totalCapped });
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
