import type { Command } from "commander";
import { optionalSwitch } from "../shared/both-forms.ts";
import { collect, globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** companies: the company register. */
export function registerCompanies(program: Command, setExit: SetExit): void {
  const companies = program
    .command("companies")
    .description("the company register: import, search, show, enrich from Bolagsverket; problem companies");
  pagingOptions(companies.command("problems"), "companies", 100)
    .description("companies the refresh cadence skips because their refresh failed or was blocked too often in a row, with the last errors")
    .option("--now <iso>", "act as if it were then (ages in the listing)")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { companiesProblems } = await import("./problems.ts");
      setExit(await companiesProblems(globals(cmd), opts));
    });
  companies
    .command("reset")
    .description("put a problem company back in the refresh cadence (clears the flag and its failures in a row)")
    .argument("<orgnr>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { companiesReset } = await import("./reset.ts");
      setExit(await companiesReset(globals(cmd), orgnr, opts));
    });
  const importCommand = companies
    .command("import")
    .description("import Bolagsverket's or SCB's bulk file (or its .zip), or a CSV; re-importing updates in place")
    .argument("<file>", "bolagsverket_bulkfil.txt, scb_bulkfil_*.txt, their .zip, or a CSV with an orgnr column")
    .option("--encoding <name>", "utf8 or latin1 (default: detected)")
    .option("--mark-missing", "mark companies missing from a bulk file even when it looks partial")
    .option("--no-mark-missing", "do not mark companies missing from a bulk file")
    .option("--json", "print the summary as JSON");
  optionalSwitch(importCommand, "mark-missing").action(async (file: string, opts, cmd: Command) => {
    const { companiesImport } = await import("./import.ts");
    setExit(await companiesImport(globals(cmd), file, opts));
  });
  pagingOptions(companies.command("search"), "companies", 20)
    .description("full-text search (name, description, town, industry) with filters; reklamspärr companies left out")
    .argument("[query...]", 'words, e.g. "logistikföretag Stockholm"; an organisationsnummer finds that company')
    .option("--sni <code>", "SNI code or prefix, e.g. 52 or 47910 (repeatable)", collect)
    .option("--town <town>", "post town")
    .option("--municipality <name>", "municipality (kommun)")
    .option("--legal-form <form>", "AB, HB, KB, EF, E, ...")
    .option("--active", "only active companies still in the register")
    .option("--min-revenue <tkr>", "minimum known revenue in TKR")
    .option("--include-reklamsparr", "include companies that opted out of direct marketing")
    .option("--json", "print JSON")
    .action(async (words: string[], opts, cmd: Command) => {
      const { companiesSearch } = await import("./search.ts");
      setExit(await companiesSearch(globals(cmd), words, opts));
    });
  companies
    .command("show")
    .description("one company: register data, industry, lead")
    .argument("<orgnr>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { companiesShow } = await import("./show.ts");
      setExit(await companiesShow(globals(cmd), orgnr, opts));
    });
  companies
    .command("add")
    .description(
      "add a company: from Bolagsverket's API when BOLAGSVERKET_CLIENT_ID and _SECRET are set (the fields given win), else by hand",
    )
    .argument("<orgnr>", "organisationsnummer")
    .option("--name <name>", "company name (needed by hand)")
    .option("--legal-form <form>", "AB, HB, KB, EF, E, ...")
    .option("--street <address>", "street address")
    .option("--postcode <code>", "postcode, e.g. 411 06")
    .option("--town <town>", "post town")
    .option("--municipality <name>", "municipality (kommun; default: from the town)")
    .option("--sni <code>", "SNI code, primary first (repeatable)", collect)
    .option("--description <text>", "what the company does")
    .option("--website <url>", "the company's website")
    .option("--employees <n>", "number of employees")
    .option("--revenue-tkr <n>", "revenue in TKR")
    .option("--update", "change the company if it is in the register already (default: exit 2)")
    .option("--by-hand", "do not ask Bolagsverket even when it is configured")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { companiesAdd } = await import("./add.ts");
      setExit(await companiesAdd(globals(cmd), orgnr, opts));
    });
  companies
    .command("reports")
    .description("read companies' latest annual reports from Bolagsverket (iXBRL): revenue, employees, financial year, with history")
    .argument("<orgnr...>", "organisationsnummer")
    .option("--no-fetch", "only show the figures stored from earlier reports")
    .option("--json", "print JSON")
    .action(async (orgnrs: string[], opts, cmd: Command) => {
      const { companiesReports } = await import("./reports.ts");
      setExit(await companiesReports(globals(cmd), orgnrs, opts));
    });
  companies
    .command("enrich")
    .description("update companies from Bolagsverket's API (BOLAGSVERKET_CLIENT_ID and _SECRET in the environment)")
    .argument("<orgnr...>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnrs: string[], opts, cmd: Command) => {
      const { companiesEnrich } = await import("./enrich.ts");
      setExit(await companiesEnrich(globals(cmd), orgnrs, opts));
    });
}
