import type { Command } from "commander";
import { collect, globals, type SetExit } from "./shared.ts";

/** companies, terminals, leads and `report leads`: lead generation. */
export function registerLeadCommands(program: Command, setExit: SetExit): void {
  const companies = program.command("companies").description("the company register: import, search, show, enrich from Bolagsverket");
  companies.command("import")
    .description("import Bolagsverket's or SCB's bulk file (or its .zip), or a CSV; re-importing updates in place")
    .argument("<file>", "bolagsverket_bulkfil.txt, scb_bulkfil_*.txt, their .zip, or a CSV with an orgnr column")
    .option("--encoding <name>", "utf8 or latin1 (default: detected)")
    .option("--mark-missing", "mark companies missing from a bulk file even when it looks partial")
    .option("--no-mark-missing", "do not mark companies missing from a bulk file")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts, cmd: Command) => {
      const { companiesImport } = await import("../commands/companies-import.ts");
      setExit(await companiesImport(globals(cmd), file, { ...opts, markMissing: cmd.getOptionValueSource("markMissing") === "default" ? undefined : opts.markMissing }));
    });
  companies.command("search")
    .description("full-text search (name, description, town, industry) with filters; reklamspärr companies left out")
    .argument("[query...]", 'words, e.g. "logistikföretag Stockholm"; an organisationsnummer finds that company')
    .option("--sni <code>", "SNI code or prefix, e.g. 52 or 47910 (repeatable)", collect)
    .option("--town <town>", "post town")
    .option("--municipality <name>", "municipality (kommun)")
    .option("--legal-form <form>", "AB, HB, KB, EF, E, ...")
    .option("--active", "only active companies still in the register")
    .option("--min-revenue <tkr>", "minimum known revenue in TKR")
    .option("--include-reklamsparr", "include companies that opted out of direct marketing")
    .option("--limit <n>", "at most n companies (default 20)")
    .option("--offset <n>", "skip the first n (paging)")
    .option("--json", "print JSON")
    .action(async (words: string[], opts, cmd: Command) => {
      const { companiesSearch } = await import("../commands/companies-search.ts");
      setExit(await companiesSearch(globals(cmd), words, opts));
    });
  companies.command("show")
    .description("one company: register data, industry, lead")
    .argument("<orgnr>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { companiesShow } = await import("../commands/companies-show.ts");
      setExit(await companiesShow(globals(cmd), orgnr, opts));
    });
}
