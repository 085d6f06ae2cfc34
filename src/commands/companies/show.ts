import { getCompany, orgnrArgument } from "../../core/companies/show.ts";
import { formatOrgnr } from "../../core/domain/orgnr.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { bold, printJson, printLine } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function companiesShow(g: GlobalOptions, orgnrText: string, o: { json?: boolean }): Promise<number> {
  const orgnr = orgnrArgument(orgnrText);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const c = await getCompany(ctx.db, orgnr);
    if (o.json) {
      printJson(c);
      return ExitCode.Ok;
    }
    printLine(bold(`${c.name} (${formatOrgnr(c.orgnr)})`));
    const line = (label: string, value: string | number | null | undefined) => {
      if (value !== null && value !== undefined && value !== "") printLine(`  ${label.padEnd(14)} ${value}`);
    };
    line("other names", c.altNames.join(", "));
    line(
      "legal form",
      c.legalForm ? `${c.legalForm}${c.legalFormName && c.legalFormName !== c.legalForm ? ` (${c.legalFormName})` : ""}` : null,
    );
    line(
      "status",
      `${c.status}${c.deregisteredOn ? ` since ${c.deregisteredOn}` : ""}${c.missingSince ? `; no longer in the register file since ${c.missingSince.slice(0, 10)}` : ""}`,
    );
    line("reklamspärr", c.reklamsparr ? "yes: opted out of direct marketing" : "no");
    line("address", [c.street, c.coAddress, [c.postcode, c.town].filter(Boolean).join(" ")].filter(Boolean).join(", "));
    line("municipality", c.municipality);
    for (const s of c.sni) line("SNI", `${s.code}${s.title ? ` ${s.title}` : ""}`);
    line("description", c.description);
    line("website", c.website);
    line("revenue (TKR)", c.revenueTkr);
    line("employees", c.employees);
    line(
      "financial year",
      c.financialYearEnd ? `${c.financialYearStart} – ${c.financialYearEnd} (annual report; companies reports)` : null,
    );
    line("registered", c.registeredOn);
    line("source", `${c.source}${c.enrichedAt ? `; Bolagsverket API ${c.enrichedAt.slice(0, 10)}` : ""}`);
    line(
      "lead",
      c.lead
        ? `#${c.lead.id} ${c.lead.status}${c.lead.terminal ? `, ${c.lead.terminal}` : ""}${c.lead.score !== null ? `, score ${c.lead.score}` : ""}`
        : "not a lead",
    );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
