import type { Command } from "commander";
import { addCompanyProblemCommands } from "../companies/grammar.ts";
import { collect, globals, type SetExit } from "../shared/grammar.ts";

/** companies, terminals and leads: lead generation (its report is `report leads`, in report.ts). */
export function registerLeadCommands(program: Command, setExit: SetExit): void {
  const companies = program.command("companies").description("the company register: import, search, show, enrich from Bolagsverket; problem companies");
  addCompanyProblemCommands(companies, setExit);
  companies.command("import")
    .description("import Bolagsverket's or SCB's bulk file (or its .zip), or a CSV; re-importing updates in place")
    .argument("<file>", "bolagsverket_bulkfil.txt, scb_bulkfil_*.txt, their .zip, or a CSV with an orgnr column")
    .option("--encoding <name>", "utf8 or latin1 (default: detected)")
    .option("--mark-missing", "mark companies missing from a bulk file even when it looks partial")
    .option("--no-mark-missing", "do not mark companies missing from a bulk file")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts, cmd: Command) => {
      const { companiesImport } = await import("../companies/import.ts");
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
      const { companiesSearch } = await import("../companies/search.ts");
      setExit(await companiesSearch(globals(cmd), words, opts));
    });
  companies.command("show")
    .description("one company: register data, industry, lead")
    .argument("<orgnr>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { companiesShow } = await import("../companies/show.ts");
      setExit(await companiesShow(globals(cmd), orgnr, opts));
    });

  companies.command("enrich")
    .description("update companies from Bolagsverket's API (BOLAGSVERKET_CLIENT_ID and _SECRET in the environment)")
    .argument("<orgnr...>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnrs: string[], opts, cmd: Command) => {
      const { companiesEnrich } = await import("../companies/enrich.ts");
      setExit(await companiesEnrich(globals(cmd), orgnrs, opts));
    });

  const terminals = program.command("terminals").description("sales terminals (teams) and the rules that assign leads to them");
  terminals.command("add")
    .description("add a terminal, e.g. \"Stockholm Terminal\"")
    .argument("<name>", "terminal name")
    .option("--description <text>", "what it covers")
    .option("--default", "leads no rule matches go here")
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { terminalsAdd } = await import("../terminals/add.ts");
      setExit(await terminalsAdd(globals(cmd), name, opts));
    });
  terminals.command("list")
    .description("terminals with their rules and lead counts")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { terminalsList } = await import("../terminals/list.ts");
      setExit(await terminalsList(globals(cmd), opts));
    });
  const rules = terminals.command("rules")
    .description("assignment rules in the order they are tried (first match wins); add and rm them")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { terminalsRules } = await import("../terminals/rules.ts");
      setExit(await terminalsRules(globals(cmd), opts));
    });
  rules.command("add")
    .description("assign leads to TERMINAL by town, municipality, postcode range or SNI prefix")
    .argument("<terminal>", "terminal name or id")
    .option("--town <town>", "post town, e.g. Göteborg")
    .option("--municipality <name>", "municipality (kommun)")
    .option("--postcode <range>", "e.g. 10000-19999, 100-199 or 113")
    .option("--sni <prefix>", "SNI code prefix, e.g. 4791")
    .option("--position <n>", "order among the rules (default: after the last)")
    .option("--json", "print JSON")
    .action(async (terminal: string, opts, cmd: Command) => {
      const { terminalsRulesAdd } = await import("../terminals/rules.ts");
      setExit(await terminalsRulesAdd(globals(cmd), terminal, { ...opts, json: opts.json ?? cmd.parent?.opts().json }));
    });
  rules.command("rm")
    .description("remove a rule")
    .argument("<id>", "rule id")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { terminalsRulesRm } = await import("../terminals/rules.ts");
      setExit(await terminalsRulesRm(globals(cmd), id, { ...opts, json: opts.json ?? cmd.parent?.opts().json }));
    });

  const leads = program.command("leads").description("leads: companies the sales team works");
  leads.command("add")
    .description("make a company of the register a lead; assigned by the rules unless --terminal")
    .argument("<orgnr>", "organisationsnummer")
    .option("--website <url>", "the company's website")
    .option("--terminal <name>", "assign to this terminal")
    .option("--as <user>", "who adds it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { leadsAdd } = await import("./add.ts");
      setExit(await leadsAdd(globals(cmd), orgnr, opts));
    });
  leads.command("edit")
    .description("change a lead's status, website, terminal or notes")
    .argument("<lead>", "lead id or organisationsnummer")
    .option("--status <status>", "new, qualified, contacted, customer, rejected")
    .option("--website <url>", "set the website")
    .option("--no-website", "clear the website")
    .option("--terminal <name>", "assign to this terminal")
    .option("--unassign", "take it off its terminal")
    .option("--notes <text>", "notes (empty clears them)")
    .option("--as <user>", "who changes it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (ref: string, opts, cmd: Command) => {
      const { leadsEdit } = await import("./edit.ts");
      setExit(await leadsEdit(globals(cmd), ref, { ...opts, website: cmd.getOptionValueSource("website") === "default" ? undefined : opts.website }));
    });
  leads.command("list")
    .description("leads, newest first")
    .option("--terminal <name>", "only this terminal's leads")
    .option("--unassigned", "only leads without a terminal")
    .option("--status <status>", "new, qualified, contacted, customer, rejected (repeatable)", collect)
    .option("--analysed-since <when>", "analysed at or after: an ISO time or an age such as 7d")
    .option("--not-analysed-since <when>", "never analysed, or not since: an ISO time or an age such as 90d")
    .option("--min-score <n>", "latest score at least n")
    .option("--limit <n>", "at most n leads (default 50)")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { leadsList } = await import("./list.ts");
      setExit(await leadsList(globals(cmd), opts));
    });
  leads.command("show")
    .description("a lead with its company, analysis history and events")
    .argument("<lead>", "lead id or organisationsnummer")
    .option("--json", "print JSON")
    .action(async (ref: string, opts, cmd: Command) => {
      const { leadsShow } = await import("./show.ts");
      setExit(await leadsShow(globals(cmd), ref, opts));
    });
  leads.command("assign")
    .description("assign leads by the rules (every unassigned lead when none is named), or to --terminal")
    .argument("[leads...]", "lead ids or organisationsnummer")
    .option("--terminal <name>", "assign to this terminal instead of by the rules")
    .option("--as <user>", "who assigns (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (refs: string[], opts, cmd: Command) => {
      const { leadsAssign } = await import("./assign.ts");
      setExit(await leadsAssign(globals(cmd), refs, opts));
    });

  leads.command("analyze")
    .description("analyse leads now (the leads.analyze job type): named leads, or a selection")
    .argument("[leads...]", "lead ids or organisationsnummer (default: select with the options below)")
    .option("--protocol <name>", "quick, batch, deep or deep-pro (default quick)")
    .option("--provider <name>", "rules, ollama, openai, groq, gemini, claude, custom, ... (default: llmProvider setting)")
    .option("--model <name>", "model (default: the provider's)")
    .option("--max-cost <usd>", "stop before the run could cost more than this many USD")
    .option("--not-analysed-since <when>", "select leads not analysed since: an age such as 90d")
    .option("--terminal <name>", "select this terminal's leads")
    .option("--status <status>", "select leads with this status (repeatable)", collect)
    .option("--min-score <n>", "select leads with at least this score")
    .option("--limit <n>", "select at most n leads (default 100)")
    .option("--json", "print JSON")
    .action(async (refs: string[], opts, cmd: Command) => {
      const { leadsAnalyze } = await import("./analyze.ts");
      setExit(await leadsAnalyze(globals(cmd), refs, opts));
    });
}
