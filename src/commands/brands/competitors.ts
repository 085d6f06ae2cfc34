import { ExitCode, UsageError } from "../../core/errors.ts";
import { addCompetitor, findBrand, listCompetitors, normaliseDomain, parseList, removeCompetitor } from "../../core/brands/repository.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export interface BrandsCompetitorsOptions {
  add?: string;
  alias?: string[];
  domain?: string[];
  remove?: string;
  json?: boolean;
}

export async function brandsCompetitors(g: GlobalOptions, ref: string, o: BrandsCompetitorsOptions): Promise<number> {
  if (o.add !== undefined && o.remove !== undefined) throw new UsageError("use --add or --remove, not both");
  if (o.add === undefined && (o.alias || o.domain)) throw new UsageError("--alias and --domain go with --add NAME");
  if (o.add !== undefined && o.add.trim() === "") throw new UsageError("a competitor needs a name");
  const domains = (o.domain ?? []).map(normaliseDomain); // exit 2 before the database is opened
  const ctx = await openContext(g);
  try {
    const brand = await findBrand(ctx.db, ref);
    if (o.add !== undefined) await addCompetitor(ctx.db, brand.id, { name: o.add, aliases: o.alias ?? [], domains }, ctx.clock());
    if (o.remove !== undefined) await removeCompetitor(ctx.db, brand.id, o.remove);
    const competitors = (await listCompetitors(ctx.db, brand.id)).map((c) => ({
      id: c.id,
      name: c.name,
      aliases: parseList(c.aliases),
      domains: parseList(c.domains),
    }));
    if (o.json) printJson({ brand: brand.name, competitors });
    else if (competitors.length === 0) printLine(`${brand.name} has no competitors yet: --add NAME`);
    else
      await printTable(
        ["id", "competitor", "aliases", "domains"],
        competitors.map((c) => [c.id, c.name, c.aliases.join(", "), c.domains.join(", ")]),
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
