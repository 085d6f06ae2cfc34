import { actingUser, asOption } from "../shared/actor.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { editRule, editTerminal, removeTerminal, renameTerminal } from "../../core/leads/terminal-edit.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption, positiveId } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";
import { renameFollowers } from "../shared/rename-followers.ts";
import { terminalName } from "../../core/leads/terminals.ts";

export interface TerminalsEditOptions {
  description?: string;
  /** true for --default, false for --no-default. */
  default?: boolean;
  as?: string;
  json?: boolean;
}

/** `terminals edit T`: its description, and whether it is the default terminal. */
export async function terminalsEdit(g: GlobalOptions, ref: string, o: TerminalsEditOptions): Promise<number> {
  if (o.description === undefined && o.default === undefined)
    throw new UsageError("nothing to change: give --description, --default or --no-default");
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const description = o.description === undefined ? undefined : o.description.trim() === "" ? null : o.description.trim();
    const r = await editTerminal(ctx.db, ref, { description, isDefault: o.default }, { actor, now: ctx.clock() });
    if (o.json) printJson(r);
    else printLine(r.changed.length > 0 ? `terminal ${r.id}: changed ${r.changed.join(", ")}` : `terminal ${r.id}: nothing changed`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** `terminals rename OLD NEW`: leads and rules point at the terminal's id and stay with it. */
export async function terminalsRename(g: GlobalOptions, from: string, to: string, o: { as?: string; json?: boolean }): Promise<number> {
  terminalName(to); // exit 2 before the database is opened
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await renameTerminal(ctx.db, from, to, { actor, now: ctx.clock() });
    if (o.json) printJson(r);
    else
      printLine(
        r.changed
          ? `renamed terminal ${r.id} "${r.from}" to "${r.to}"${renameFollowers(r)}`
          : `terminal ${r.id} is already called "${r.to}"`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** `terminals rm T [--reassign-to OTHER] [--default-to OTHER]`. */
export async function terminalsRm(
  g: GlobalOptions,
  ref: string,
  o: { reassignTo?: string; defaultTo?: string; as?: string; json?: boolean },
): Promise<number> {
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await removeTerminal(ctx.db, ref, { reassignTo: o.reassignTo, defaultTo: o.defaultTo }, { actor, now: ctx.clock() });
    if (o.json) printJson(r);
    else {
      const moved = r.reassignedTo ? `; ${r.leadsMoved} lead(s) and ${r.rulesMoved} rule(s) moved to "${r.reassignedTo}"` : "";
      const gone = r.rulesRemoved > 0 ? `; ${r.rulesRemoved} rule(s) removed with it` : "";
      const def = r.newDefault ? `; "${r.newDefault}" is the default terminal now` : "";
      printLine(`removed terminal ${r.id} "${r.name}"${moved}${gone}${def}`);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** `terminals rules edit ID [--position N] [--terminal T]`. */
export async function terminalsRulesEdit(
  g: GlobalOptions,
  idText: string,
  o: { position?: string; terminal?: string; as?: string; json?: boolean },
): Promise<number> {
  const id = positiveId(idText, "rule id");
  const position = intOption(o.position, "--position", 0, 1_000_000);
  if (position === undefined && o.terminal === undefined) throw new UsageError("nothing to change: give --position or --terminal");
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await editRule(ctx.db, id, { position, terminal: o.terminal }, { actor, now: ctx.clock() });
    if (o.json) printJson(r);
    else printLine(r.changed.length > 0 ? `rule ${r.id}: changed ${r.changed.join(", ")}` : `rule ${r.id}: nothing changed`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
