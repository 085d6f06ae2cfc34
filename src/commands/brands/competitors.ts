import { ExitCode, UsageError } from "../../core/errors.ts";
import { addCompetitor, findBrand, listCompetitors, normaliseDomain, parseList, removeCompetitor } from "../../core/brands/repository.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export interface BrandsCompetitorsOptions {
  add?: string;
  edit?: string;
  alias?: string[];
  domain?: string[];
  removeAlias?: string[];
  removeDomain?: string[];
  remove?: string;
  json?: boolean;
}

export async function brandsCompetitors(g: GlobalOptions, ref: string, o: BrandsCompetitorsOptions): Promise<number> {
  const verbs = [o.add, o.edit, o.remove].filter((v) => v !== undefined);
  if (verbs.length > 1) throw new UsageError("use one of --add, --edit or --remove");
  const target = o.add ?? o.edit;
  if (target === undefined && (o.alias || o.domain || o.removeAlias || o.removeDomain))
    throw new UsageError("--alias, --domain, --remove-alias and --remove-domain go with --add NAME or --edit NAME");
  if (target !== undefined && target.trim() === "") throw new UsageError("a competitor needs a name");
  if (o.edit !== undefined && !(o.alias || o.domain || o.removeAlias || o.removeDomain))
    throw new UsageError("nothing to change: give --alias, --domain, --remove-alias or --remove-domain");
  // exit 2 before the database is opened
  const domains = (o.domain ?? []).map(normaliseDomain);
  const removeDomains = (o.removeDomain ?? []).map(normaliseDomain);
  const ctx = await openContext(g, {}, { readOnly: target === undefined && o.remove === undefined });
  try {
    const brand = await findBrand(ctx.db, ref);
    if (target !== undefined)
      await addCompetitor(
        ctx.db,
        brand.id,
        { name: target, aliases: o.alias ?? [], domains, removeAliases: o.removeAlias, removeDomains },
        ctx.clock(),
        { mustExist: o.edit !== undefined },
      );
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
