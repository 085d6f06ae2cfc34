import { addBrand, normaliseDomain, parseList } from "../../core/brands/repository.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export async function brandsAdd(
  g: GlobalOptions,
  name: string,
  o: { customer: string; alias?: string[]; domain?: string[]; json?: boolean },
): Promise<number> {
  if (name.trim() === "") throw new UsageError("a brand needs a name");
  if (o.customer.trim() === "") throw new UsageError("a brand needs a customer");
  const domains = (o.domain ?? []).map(normaliseDomain); // exit 2 before the database is opened
  const ctx = await openContext(g);
  try {
    const brand = await addBrand(ctx.db, { name, customer: o.customer, aliases: o.alias ?? [], domains }, ctx.clock());
    if (o.json) printJson({ id: brand.id, name: brand.name, aliases: parseList(brand.aliases), domains: parseList(brand.domains) });
    else printLine(`added brand ${brand.id} "${brand.name}"`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
