import { actingUser, asOption } from "../shared/actor.ts";
import type { RuleKind } from "../../core/leads/schema.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { addRule, listRules, removeRule, ruleValue } from "../../core/leads/terminals.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption, positiveId } from "../shared/options.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { pageOf } from "../../core/util/paging.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export async function terminalsRules(g: GlobalOptions, o: PagingFlags & { json?: boolean }): Promise<number> {
  const page = pageOption(o, null);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: rules, total } = pageOf(await listRules(ctx.db), page);
    if (o.json) printJson({ ...pageJson(page, total, rules.length), rules });
    else if (rules.length === 0)
      printLine(
        pastTheEnd(page, total, "assignment rules") ??
          "no assignment rules; add one with `leadjobs terminals rules add TERMINAL --town Stockholm`",
      );
    else {
      printLine("tried in this order; the first match wins, then the default terminal");
      await printTable(
        ["id", "position", "terminal", "rule"],
        rules.map((r) => [r.id, r.position, r.terminal, r.description]),
      );
      printMore(page, total, rules.length);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

export interface RuleAddOptions {
  town?: string;
  municipality?: string;
  postcode?: string;
  sni?: string;
  position?: string;
  as?: string;
  json?: boolean;
}

export async function terminalsRulesAdd(g: GlobalOptions, terminal: string, o: RuleAddOptions): Promise<number> {
  const given = (["town", "municipality", "postcode", "sni"] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw new UsageError("give exactly one of --town, --municipality, --postcode or --sni");
  const kind: RuleKind = given[0] as RuleKind;
  const value = o[kind] as string;
  ruleValue(kind, value); // exit 2 before opening the database
  const position = intOption(o.position, "--position", 0, 1_000_000);
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const id = await addRule(ctx.db, { terminal, kind, value, position, actor, now: ctx.clock() });
    const rule = (await listRules(ctx.db)).find((r) => r.id === id);
    if (o.json) printJson(rule);
    else printLine(`added rule ${id}: ${rule?.description} -> ${rule?.terminal} (position ${rule?.position})`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

export async function terminalsRulesRm(g: GlobalOptions, idText: string, o: { as?: string; json?: boolean }): Promise<number> {
  const id = positiveId(idText, "rule id");
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    await removeRule(ctx.db, id, { actor, now: ctx.clock() });
    if (o.json) printJson({ removed: id });
    else printLine(`removed rule ${id}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
