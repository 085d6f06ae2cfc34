import { findBrand, listBrands, listCompetitors, listQueries, listTopics, parseList } from "../../core/brands/repository.ts";
import { plural } from "../../core/util/plural.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { bold, printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function brandsShow(g: GlobalOptions, ref: string, o: { json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const brand = await findBrand(ctx.db, ref);
    const summary = (await listBrands(ctx.db)).find((b) => b.id === brand.id);
    const competitors = (await listCompetitors(ctx.db, brand.id)).map((c) => ({
      id: c.id,
      name: c.name,
      aliases: parseList(c.aliases),
      domains: parseList(c.domains),
    }));
    const topics = await listTopics(ctx.db, brand.id);
    const queries = await listQueries(ctx.db, brand.id, { state: "all" });
    if (o.json) {
      printJson({ ...summary, competitors, topics, queries: queries.map((q) => ({ ...q, active: q.active === 1 })) });
      return ExitCode.Ok;
    }
    printLine(bold(`${brand.name} (brand ${brand.id}, customer ${summary?.customer})`));
    printLine(`  aliases: ${summary?.aliases.join(", ") || "-"}; domains: ${summary?.domains.join(", ") || "-"}`);
    printLine(`  ${plural(summary?.answers ?? 0, "answer")} stored, ${summary?.unscored ?? 0} not scored yet`);
    if (competitors.length > 0) {
      printLine(bold("competitors"));
      await printTable(
        ["id", "name", "aliases", "domains"],
        competitors.map((c) => [c.id, c.name, c.aliases.join(", "), c.domains.join(", ")]),
      );
    }
    if (topics.length > 0) printLine(`${bold("topics")}: ${topics.map((t) => `${t.name} (${t.queries})`).join(", ")}`);
    if (queries.length > 0) {
      printLine(bold("queries"));
      await printTable(
        ["id", "topic", "active", "answers", "query"],
        queries.map((q) => [q.id, q.topic, q.active ? "yes" : "no", q.answers, q.text]),
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
