import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** projects: the projects and their budget usage. */
export function registerProjects(program: Command, setExit: SetExit): void {
  const projects = program.command("projects").description("projects and their budget usage per type (hours, material, total)");
  pagingOptions(projects.command("list"), "projects", 100)
    .description("projects with budget usage per type and active alerts")
    .option("--tenant <slug>", "only this tenant's")
    .option("--state <status>", "planned, active, paused, completed or archived")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { projectsList } = await import("./list.ts");
      setExit(await projectsList(globals(cmd), opts));
    });
  projects
    .command("show")
    .description("one project: budget usage per type, thresholds, alerts")
    .argument("<project>", "row id, or your own id with --tenant")
    .option("--tenant <slug>", "the tenant whose id <project> is")
    .option("--json", "print JSON")
    .action(async (ref: string, opts, cmd: Command) => {
      const { projectsShow } = await import("./show.ts");
      setExit(await projectsShow(globals(cmd), ref, opts));
    });
}
