import { listProjects } from "../../core/budget/views.ts";
import { PROJECT_STATUSES, type ProjectStatus } from "../../core/backoffice/schema.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption } from "../shared/options.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { usageCell } from "./render.ts";

export interface ProjectsListOptions {
  tenant?: string;
  state?: string;
  limit?: string;
  json?: boolean;
}

export async function projectsList(g: GlobalOptions, o: ProjectsListOptions): Promise<number> {
  if (o.state !== undefined && !(PROJECT_STATUSES as readonly string[]).includes(o.state)) {
    throw new UsageError(`invalid --state "${o.state}": expected ${PROJECT_STATUSES.join(", ")}`);
  }
  const limit = intOption(o.limit, "--limit", 1, 100_000) ?? 100;
  const ctx = await openContext(g);
  try {
    const projects = await listProjects(ctx.db, { tenant: o.tenant, status: o.state as ProjectStatus | undefined, limit });
    if (o.json) printJson({ count: projects.length, projects });
    else if (projects.length === 0) printLine("no matching projects");
    else
      await printTable(
        ["id", "ref", "tenant", "name", "status", "hours", "material", "total", "alerts"],
        projects.map((p) => [p.id, p.ref, p.tenant, truncate(p.name, 30), p.status, ...p.usage.map(usageCell), p.activeAlerts]),
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
