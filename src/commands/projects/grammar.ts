import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";

/** projects: the projects and their budget usage. */
export function registerProjects(program: Command, setExit: SetExit): void {
  const projects = program.command("projects").description("projects and their budget usage per type (hours, material, total)");
  projects
    .command("list")
    .description("projects with budget usage per type and active alerts")
    .option("--tenant <slug>", "only this tenant's")
    .option("--state <status>", "planned, active, paused, completed or archived")
    .option("--limit <n>", "at most n projects (default 100)")
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
