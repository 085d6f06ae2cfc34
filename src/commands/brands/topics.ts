import { ExitCode, UsageError } from "../../core/errors.ts";
import { addTopic, findBrand, listTopics, removeTopic } from "../../core/brands/repository.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export async function brandsTopics(g: GlobalOptions, ref: string, o: { add?: string; remove?: string; json?: boolean }): Promise<number> {
  if (o.add !== undefined && o.remove !== undefined) throw new UsageError("use --add or --remove, not both");
  if (o.add !== undefined && o.add.trim() === "") throw new UsageError("a topic needs a name");
  const ctx = await openContext(g, {}, { readOnly: o.add === undefined && o.remove === undefined });
  try {
    const brand = await findBrand(ctx.db, ref);
    if (o.add !== undefined) await addTopic(ctx.db, brand.id, o.add, ctx.clock());
    if (o.remove !== undefined) await removeTopic(ctx.db, brand.id, o.remove);
    const topics = await listTopics(ctx.db, brand.id);
    if (o.json) printJson({ brand: brand.name, topics });
    else if (topics.length === 0) printLine(`${brand.name} has no topics yet: --add NAME`);
    else
      await printTable(
        ["id", "topic", "queries"],
        topics.map((t) => [t.id, t.name, t.queries]),
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
