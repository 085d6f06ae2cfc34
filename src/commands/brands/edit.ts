import { actingUser, asOption } from "../shared/actor.ts";
import { editBrand, removeBrand } from "../../core/brands/edit.ts";
import { normaliseDomain } from "../../core/brands/repository.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { renameFollowers } from "../shared/rename-followers.ts";

export interface BrandsEditOptions {
  name?: string;
  customer?: string;
  alias?: string[];
  removeAlias?: string[];
  domain?: string[];
  removeDomain?: string[];
  as?: string;
  json?: boolean;
}

/** `brands edit BRAND`: its name, customer, aliases and domains. */
export async function brandsEdit(g: GlobalOptions, ref: string, o: BrandsEditOptions): Promise<number> {
  const given = [o.name, o.customer, o.alias, o.removeAlias, o.domain, o.removeDomain].filter((v) => v !== undefined);
  if (given.length === 0)
    throw new UsageError("nothing to change: give --name, --customer, --alias, --remove-alias, --domain or --remove-domain");
  if (o.name !== undefined && o.name.trim() === "") throw new UsageError("a brand needs a name");
  if (o.customer !== undefined && o.customer.trim() === "") throw new UsageError("a brand needs a customer");
  for (const d of [...(o.domain ?? []), ...(o.removeDomain ?? [])]) normaliseDomain(d); // exit 2 before the database is opened
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await editBrand(
      ctx.db,
      ref,
      {
        name: o.name,
        customer: o.customer,
        addAliases: o.alias,
        removeAliases: o.removeAlias,
        addDomains: o.domain,
        removeDomains: o.removeDomain,
      },
      { actor, now: ctx.clock() },
    );
    if (o.json) printJson(r);
    else
      printLine(
        r.changed.length > 0
          ? `brand ${r.id} "${r.name}": changed ${r.changed.join(", ")}${renameFollowers(r)}`
          : `brand ${r.id}: nothing changed`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** `brands rm BRAND [--force]`: a brand with answers needs --force (they go with it). */
export async function brandsRm(g: GlobalOptions, ref: string, o: { force?: boolean; as?: string; json?: boolean }): Promise<number> {
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await removeBrand(ctx.db, ref, { force: Boolean(o.force) }, { actor, now: ctx.clock() });
    if (o.json) printJson(r);
    else
      printLine(
        `removed brand ${r.id} "${r.name}" with ${r.competitors} competitor(s), ${r.topics} topic(s), ${r.queries} quer${r.queries === 1 ? "y" : "ies"} and ${r.answers} answer(s)`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
