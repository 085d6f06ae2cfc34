import { listBrands } from "../../core/brands/repository.ts";
import { formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { pageOf } from "../../core/util/paging.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function brandsList(g: GlobalOptions, o: PagingFlags & { json?: boolean }): Promise<number> {
  const page = pageOption(o, null);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: brands, total } = pageOf(await listBrands(ctx.db), page);
    if (o.json) printJson({ ...pageJson(page, total, brands.length), brands });
    else if (brands.length === 0)
      printLine(pastTheEnd(page, total, "brands") ?? "no brands yet: leadjobs brands add NAME --customer CUSTOMER");
    else {
      const now = ctx.clock();
      await printTable(
        ["id", "brand", "customer", "competitors", "active queries", "answers", "unscored", "last answer"],
        brands.map((b) => [
          b.id,
          b.name,
          b.customer,
          b.competitors,
          b.activeQueries,
          b.answers,
          b.unscored,
          formatRelative(b.lastAnswerAt, now),
        ]),
      );
      printMore(page, total, brands.length);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
