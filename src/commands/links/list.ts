import { listLinks } from "../../core/backoffice/links.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { toInstant } from "../../core/time.ts";
import { clockFrom, openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";

export interface LinksListOptions extends PagingFlags {
  tenant?: string;
  state?: string;
  now?: string;
  json?: boolean;
}

export async function linksList(g: GlobalOptions, o: LinksListOptions): Promise<number> {
  if (o.state !== undefined && o.state !== "active" && o.state !== "inactive")
    throw new UsageError(`invalid --state "${o.state}": expected active or inactive`);
  const page = pageOption(o, 100);
  const now = toInstant(clockFrom(o.now)());
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: links, total } = await listLinks(
      ctx.db,
      { tenant: o.tenant, state: o.state as "active" | "inactive" | undefined, now },
      page,
    );
    if (o.json) printJson({ ...pageJson(page, total, links.length), links });
    else if (links.length === 0) printLine(pastTheEnd(page, total, "links") ?? "no matching links");
    else
      await printTable(
        ["id", "tenant", "token", "resource", "expires", "views", "state"],
        links.map((l) => [
          l.id,
          l.tenant,
          truncate(l.token, 16),
          `${l.resourceType} ${l.resourceId}`,
          l.expiresAt?.slice(0, 16),
          `${l.viewCount}${l.maxViews === null ? "" : `/${l.maxViews}`}`,
          l.active ? (l.due ? "active (due for cleanup)" : "active") : `inactive: ${l.deactivationReason ?? "-"}`,
        ]),
      );
    if (!o.json) printMore(page, total, links.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
