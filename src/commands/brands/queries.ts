import { readFileSync } from "node:fs";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { addQueries, findBrand, listQueries, setQueriesActive } from "../../core/brands/repository.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { pageOf } from "../../core/util/paging.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export async function brandsQueriesAdd(
  g: GlobalOptions,
  ref: string,
  texts: string[],
  o: { from?: string; topic?: string; newTopic?: string; json?: boolean },
): Promise<number> {
  if (o.from !== undefined && texts.length > 0) throw new UsageError("give queries as arguments or with --from, not both");
  const all = o.from === undefined ? texts : readLines(o.from);
  if (all.every((t) => t.trim() === "")) throw new UsageError("no queries given");
  if (o.topic !== undefined && o.topic.trim() === "") throw new UsageError("--topic needs a name");
  if (o.newTopic !== undefined && o.newTopic.trim() === "") throw new UsageError("--new-topic needs a name");
  if (o.topic !== undefined && o.newTopic !== undefined)
    throw new UsageError("use either --topic (an existing topic) or --new-topic, not both");
  const topic =
    o.newTopic !== undefined ? { name: o.newTopic, create: true } : o.topic !== undefined ? { name: o.topic, create: false } : undefined;
  const ctx = await openContext(g);
  try {
    const brand = await findBrand(ctx.db, ref);
    const r = await addQueries(ctx.db, brand.id, all, topic, ctx.clock());
    if (o.json) printJson({ brand: brand.name, ...r });
    else
      printLine(
        `added ${r.added} quer${r.added === 1 ? "y" : "ies"} to ${brand.name}${r.existing ? ` (${r.existing} already there)` : ""}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

export async function brandsQueriesList(
  g: GlobalOptions,
  ref: string,
  o: PagingFlags & { topic?: string; inactive?: boolean; json?: boolean },
): Promise<number> {
  if (o.all && o.inactive) throw new UsageError("use either --all (every query) or --inactive, not both");
  const page = pageOption(o, null);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const brand = await findBrand(ctx.db, ref);
    const state = o.all ? "all" : o.inactive ? "inactive" : "active";
    const { items: queries, total } = pageOf(await listQueries(ctx.db, brand.id, { topic: o.topic, state }), page);
    if (o.json)
      printJson({
        brand: brand.name,
        ...pageJson(page, total, queries.length),
        queries: queries.map((q) => ({ ...q, active: q.active === 1 })),
      });
    else if (queries.length === 0) {
      const what = `${state === "all" ? "" : `${state} `}queries for ${brand.name}`;
      printLine(pastTheEnd(page, total, what) ?? `no ${what}`);
    } else
      await printTable(
        ["id", "topic", "active", "answers", "query"],
        queries.map((q) => [q.id, q.topic, q.active ? "yes" : "no", q.answers, q.text]),
      );
    if (!o.json) printMore(page, total, queries.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

export async function brandsQueriesActivate(g: GlobalOptions, ref: string, idTexts: string[], active: boolean): Promise<number> {
  const ids = idTexts.map((t) => positiveId(t, "query id"));
  const ctx = await openContext(g);
  try {
    const brand = await findBrand(ctx.db, ref);
    const n = await setQueriesActive(ctx.db, brand.id, ids, active, ctx.clock());
    printLine(`${active ? "activated" : "deactivated"} ${n} quer${n === 1 ? "y" : "ies"} of ${brand.name}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

function readLines(from: string): string[] {
  try {
    return readFileSync(from === "-" ? 0 : from, "utf8").split(/\r?\n/);
  } catch (e) {
    throw new UsageError(`cannot read ${from}: ${(e as Error).message}`);
  }
}
