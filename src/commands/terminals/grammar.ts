import type { Command } from "commander";
import { optionalSwitch } from "../shared/both-forms.ts";
import { globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** terminals: sales terminals (teams) and the rules that assign leads to them. */
export function registerTerminals(program: Command, setExit: SetExit): void {
  const terminals = program.command("terminals").description("sales terminals (teams) and the rules that assign leads to them");
  terminals
    .command("add")
    .description('add a terminal, e.g. "Stockholm Terminal"')
    .argument("<name>", "terminal name")
    .option("--description <text>", "what it covers")
    .option("--default", "leads no rule matches go here")
    .option("--as <user>", "who adds it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (name: string, opts, cmd: Command) => {
      const { terminalsAdd } = await import("./add.ts");
      setExit(await terminalsAdd(globals(cmd), name, opts));
    });
  pagingOptions(terminals.command("list"), "terminals", null)
    .description("terminals with their rules and lead counts")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { terminalsList } = await import("./list.ts");
      setExit(await terminalsList(globals(cmd), opts));
    });
  const edit = terminals
    .command("edit")
    .description("change a terminal's description, or make it (or no terminal) the default")
    .argument("<terminal>", "terminal name or id")
    .option("--description <text>", "what it covers (empty clears it)")
    .option("--default", "make it the default terminal (leads no rule matches go here)")
    .option("--no-default", "leave no default terminal (leads no rule matches stay unassigned)")
    .option("--as <user>", "who changes it (default: the OS user)")
    .option("--json", "print JSON");
  optionalSwitch(edit, "default").action(async (ref: string, opts, cmd: Command) => {
    const { terminalsEdit } = await import("./edit.ts");
    setExit(await terminalsEdit(globals(cmd), ref, opts));
  });
  terminals
    .command("rename")
    .description("rename a terminal; its leads and rules stay with it")
    .argument("<terminal>", "terminal name or id")
    .argument("<new-name>", "the new name")
    .option("--as <user>", "who renames it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (from: string, to: string, opts, cmd: Command) => {
      const { terminalsRename } = await import("./edit.ts");
      setExit(await terminalsRename(globals(cmd), from, to, opts));
    });
  terminals
    .command("rm")
    .description("remove a terminal; one with leads needs --reassign-to, the default terminal needs --default-to")
    .argument("<terminal>", "terminal name (in full) or id")
    .option("--reassign-to <terminal>", "move its leads (with lead events) and rules to this terminal")
    .option("--default-to <terminal>", "make this terminal the default")
    .option("--as <user>", "who removes it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (ref: string, opts, cmd: Command) => {
      const { terminalsRm } = await import("./edit.ts");
      setExit(await terminalsRm(globals(cmd), ref, opts));
    });
  const rules = pagingOptions(terminals.command("rules"), "rules", null)
    .description("assignment rules in the order they are tried (first match wins); add and rm them")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { terminalsRules } = await import("./rules.ts");
      setExit(await terminalsRules(globals(cmd), opts));
    });
  rules
    .command("add")
    .description("assign leads to TERMINAL by town, municipality, postcode range or SNI prefix")
    .argument("<terminal>", "terminal name or id")
    .option("--town <town>", "post town, e.g. Göteborg")
    .option("--municipality <name>", "municipality (kommun)")
    .option("--postcode <range>", "e.g. 10000-19999, 100-199 or 113")
    .option("--sni <prefix>", "SNI code prefix, e.g. 4791")
    .option("--position <n>", "order among the rules (default: after the last)")
    .option("--as <user>", "who adds it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (terminal: string, opts, cmd: Command) => {
      const { terminalsRulesAdd } = await import("./rules.ts");
      setExit(await terminalsRulesAdd(globals(cmd), terminal, { ...opts, json: opts.json ?? cmd.parent?.opts().json }));
    });
  rules
    .command("edit")
    .description("move a rule in the order, or to another terminal")
    .argument("<id>", "rule id")
    .option("--position <n>", "its place in the order")
    .option("--terminal <name>", "assign its leads to this terminal")
    .option("--as <user>", "who changes it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { terminalsRulesEdit } = await import("./edit.ts");
      setExit(await terminalsRulesEdit(globals(cmd), id, { ...opts, json: opts.json ?? cmd.parent?.opts().json }));
    });
  rules
    .command("rm")
    .description("remove a rule")
    .argument("<id>", "rule id")
    .option("--as <user>", "who removes it (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { terminalsRulesRm } = await import("./rules.ts");
      setExit(await terminalsRulesRm(globals(cmd), id, { ...opts, json: opts.json ?? cmd.parent?.opts().json }));
    });
}
