import { describeAmount } from "../../core/budget/evaluate.ts";
import { listAlerts } from "../../core/budget/views.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";

export interface AlertsListOptions extends PagingFlags {
  tenant?: string;
  state?: string;
  json?: boolean;
}

export async function alertsList(g: GlobalOptions, o: AlertsListOptions): Promise<number> {
  if (o.state !== undefined && o.state !== "active" && o.state !== "resolved")
    throw new UsageError(`invalid --state "${o.state}": expected active or resolved`);
  const page = pageOption(o, 100);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: alerts, total } = await listAlerts(
      ctx.db,
      { tenant: o.tenant, status: o.state as "active" | "resolved" | undefined },
      page,
    );
    if (o.json) printJson({ ...pageJson(page, total, alerts.length), alerts });
    else if (alerts.length === 0) printLine(pastTheEnd(page, total, "alerts") ?? "no matching alerts");
    else
      await printTable(
        ["id", "tenant", "project", "threshold", "usage", "status", "created"],
        alerts.map((a) => [
          a.id,
          a.tenant,
          truncate(`${a.project} ${a.projectName}`, 36),
          `${a.thresholdPercent}% ${a.type}`,
          `${a.usagePercent}% (${describeAmount(a.type, a.used)} of ${describeAmount(a.type, a.budget)})`,
          a.status,
          a.createdAt.slice(0, 16),
        ]),
      );
    if (!o.json) printMore(page, total, alerts.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
