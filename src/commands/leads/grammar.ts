import type { Command } from "commander";
import { optionalSwitch } from "../shared/both-forms.ts";
import { collect, globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** leads: the companies the sales team works. */
export function registerLeads(program: Command, setExit: SetExit): void {
  const leads = program.command("leads").description("leads: companies the sales team works");
  leads
    .command("add")
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
  const edit = leads
    .command("edit")
    .description("change a lead's status, website, terminal, notes or contact person")
    .argument("<lead>", "lead id or organisationsnummer")
    .option("--status <status>", "new, qualified, contacted, customer, rejected")
    .option("--website <url>", "set the website")
    .option("--no-website", "clear the website")
    .option("--terminal <name>", "assign to this terminal")
    .option("--unassign", "take it off its terminal")
    .option("--notes <text>", "notes (empty clears them)")
    .option("--contact-name <name>", "the person to talk to (empty clears it)")
    .option("--contact-email <address>", "their email address (empty clears it)")
    .option("--contact-phone <number>", "their phone number (empty clears it)")
    .option("--as <user>", "who changes it (default: the OS user)")
    .option("--json", "print JSON");
  optionalSwitch(edit, "website").action(async (ref: string, opts, cmd: Command) => {
    const { leadsEdit } = await import("./edit.ts");
    setExit(await leadsEdit(globals(cmd), ref, opts));
  });
  leads
    .command("rm")
    .description("remove leads with their events and analyses (the company stays; the audit log keeps the lead and its events)")
    .argument("<leads...>", "lead ids or organisationsnummer")
    .option("--as <user>", "who removes them (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (refs: string[], opts, cmd: Command) => {
      const { leadsRm } = await import("./rm.ts");
      setExit(await leadsRm(globals(cmd), refs, opts));
    });
  pagingOptions(leads.command("list"), "leads", 50)
    .description("leads, newest first")
    .option("--terminal <name>", "only this terminal's leads")
    .option("--unassigned", "only leads without a terminal")
    .option("--status <status>", "new, qualified, contacted, customer, rejected (repeatable)", collect)
    .option("--analysed-since <when>", "analysed at or after: an ISO time or an age such as 7d")
    .option("--not-analysed-since <when>", "never analysed, or not since: an ISO time or an age such as 90d")
    .option("--min-score <n>", "latest score at least n")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { leadsList } = await import("./list.ts");
      setExit(await leadsList(globals(cmd), opts));
    });
  leads
    .command("show")
    .description("a lead with its company, analysis history and events")
    .argument("<lead>", "lead id or organisationsnummer")
    .option("--json", "print JSON")
    .action(async (ref: string, opts, cmd: Command) => {
      const { leadsShow } = await import("./show.ts");
      setExit(await leadsShow(globals(cmd), ref, opts));
    });
  leads
    .command("assign")
    .description("assign leads by the rules (every unassigned lead when none is named), or to --terminal")
    .argument("[leads...]", "lead ids or organisationsnummer")
    .option("--terminal <name>", "assign to this terminal instead of by the rules")
    .option("--as <user>", "who assigns (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (refs: string[], opts, cmd: Command) => {
      const { leadsAssign } = await import("./assign.ts");
      setExit(await leadsAssign(globals(cmd), refs, opts));
    });
  leads
    .command("analyze")
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
