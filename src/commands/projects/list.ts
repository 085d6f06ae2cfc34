import { listProjects } from "../../core/budget/views.ts";
import { PROJECT_STATUSES, type ProjectStatus } from "../../core/backoffice/schema.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { usageCell } from "./render.ts";

export interface ProjectsListOptions extends PagingFlags {
  tenant?: string;
  state?: string;
  json?: boolean;
}

export async function projectsList(g: GlobalOptions, o: ProjectsListOptions): Promise<number> {
  if (o.state !== undefined && !(PROJECT_STATUSES as readonly string[]).includes(o.state)) {
    throw new UsageError(`invalid --state "${o.state}": expected ${PROJECT_STATUSES.join(", ")}`);
  }
  const page = pageOption(o, 100);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: projects, total } = await listProjects(ctx.db, { tenant: o.tenant, status: o.state as ProjectStatus | undefined }, page);
    if (o.json) printJson({ ...pageJson(page, total, projects.length), projects });
    else if (projects.length === 0) printLine(pastTheEnd(page, total, "projects") ?? "no matching projects");
    else
      await printTable(
        ["id", "ref", "tenant", "name", "status", "hours", "material", "total", "alerts"],
        projects.map((p) => [p.id, p.ref, p.tenant, truncate(p.name, 30), p.status, ...p.usage.map(usageCell), p.activeAlerts]),
      );
    if (!o.json) printMore(page, total, projects.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
