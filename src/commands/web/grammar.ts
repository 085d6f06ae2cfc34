import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** web: website analyses, their history and the fingerprints. */
export function registerWeb(program: Command, setExit: SetExit): void {
  const web = program.command("web").description("website analyses: results, history, fingerprints");
  pagingOptions(web.command("show"), "analyses", 10)
    .description("the latest website analysis of a lead, company or site with its evidence, and what changed")
    .argument("<what>", "lead id, organisationsnummer or web address")
    .option("--history", "every change over time, not only since the previous analysis")
    .option("--json", "print JSON")
    .action(async (what: string, opts, cmd: Command) => {
      const { webShow } = await import("./show.ts");
      setExit(await webShow(globals(cmd), what, opts));
    });
  web
    .command("fingerprints")
    .description("list the technologies leadjobs recognises (ours plus --fingerprints directories)")
    .option("--fingerprints <dir>", "also load this Wappalyzer-format directory (repeatable)", collect)
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { webFingerprints } = await import("./fingerprints.ts");
      setExit(await webFingerprints(opts));
    });
}
