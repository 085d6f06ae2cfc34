import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** links: the public share links. */
export function registerLinks(program: Command, setExit: SetExit): void {
  const links = program.command("links").description("public share links of invoices, projects and documents");
  pagingOptions(links.command("list"), "links", 100)
    .description("share links, newest first: expiry, views, active or deactivated (and why)")
    .option("--tenant <slug>", "only this tenant's")
    .option("--state <state>", "active or inactive")
    .option("--now <iso>", "judge expiry as if it were then")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { linksList } = await import("./list.ts");
      setExit(await linksList(globals(cmd), opts));
    });
}
