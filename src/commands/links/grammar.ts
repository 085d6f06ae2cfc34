import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";

/** links: the public share links. */
export function registerLinks(program: Command, setExit: SetExit): void {
  const links = program.command("links").description("public share links of invoices, projects and documents");
  links
    .command("list")
    .description("share links, newest first: expiry, views, active or deactivated (and why)")
    .option("--tenant <slug>", "only this tenant's")
    .option("--state <state>", "active or inactive")
    .option("--limit <n>", "at most n links (default 100)")
    .option("--now <iso>", "judge expiry as if it were then")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { linksList } = await import("./list.ts");
      setExit(await linksList(globals(cmd), opts));
    });
}
