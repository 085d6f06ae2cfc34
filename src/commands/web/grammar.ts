import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";

/** run-batch and web: website technology analysis. */
export function registerWebCommands(program: Command, setExit: SetExit): void {
  program.command("run-batch")
    .description("analyse websites in batches of up to 100: platforms, checkouts, carriers (foreground, or --enqueue)")
    .option("--type <type>", "tech_analysis, checkout_scraping, full_analysis, ecommerce_detection or carrier_detection")
    .option("--lead <ids>", "lead ids (repeatable, or comma-separated)", collect)
    .option("--from <file>", "file of lead ids, organisationsnummer or web addresses, one per line; - for stdin")
    .option("--terminal <name>", "leads of this terminal (name or id)")
    .option("--not-analysed-since <duration>", "leads whose website was not analysed within this time (e.g. 90d)")
    .option("--url <url>", "analyse these sites directly, without leads (repeatable; file:// and saved-page directories too)", collect)
    .option("--limit <n>", "sites per batch (default and maximum 100); larger selections become several batches")
    .option("--retry-failed <batch>", "run the failed, blocked and cancelled items of a batch again")
    .option("--enqueue", "create the batches and leave them to `leadjobs process`")
    .option("--browser <mode>", "auto (default: only when needed), always or never (LEADJOBS_WEB_BROWSER)")
    .option("--allow-private", "also fetch private, loopback and link-local addresses (intranets, tests)")
    .option("--allow-host <host>", "allow this host[:port] although its address is private (repeatable)", collect)
    .option("--fingerprints <dir>", "also load this Wappalyzer-format fingerprint directory (repeatable)", collect)
    .option("--concurrency <n>", "sites analysed at once (default 5; LEADJOBS_WEB_CONCURRENCY)")
    .option("--browser-pages <n>", "browser pages rendered at once (default 1; LEADJOBS_WEB_BROWSER_PAGES)")
    .option("--delay <duration>", "minimum pause between two requests to one host (default 1s; LEADJOBS_WEB_DELAY)")
    .option("--timeout <duration>", "per request (default 20s; LEADJOBS_WEB_TIMEOUT)")
    .option("--chromium <path>", "Chromium executable (default /usr/bin/chromium; LEADJOBS_CHROMIUM_PATH)")
    .option("--json", "print the batches and their items as JSON")
    .action(async (opts, cmd: Command) => {
      const { runBatchCommand } = await import("../run-batch.ts");
      setExit(await runBatchCommand(globals(cmd), opts));
    });

  const web = program.command("web").description("website analyses: results, history, fingerprints");
  web.command("show")
    .description("the latest website analysis of a lead, company or site with its evidence, and what changed")
    .argument("<what>", "lead id, organisationsnummer or web address")
    .option("--history", "every change over time, not only since the previous analysis")
    .option("--limit <n>", "analyses listed (default 10)")
    .option("--json", "print JSON")
    .action(async (what: string, opts, cmd: Command) => {
      const { webShow } = await import("./show.ts");
      setExit(await webShow(globals(cmd), what, opts));
    });
  web.command("fingerprints")
    .description("list the technologies leadjobs recognises (ours plus --fingerprints directories)")
    .option("--fingerprints <dir>", "also load this Wappalyzer-format directory (repeatable)", collect)
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { webFingerprints } = await import("./fingerprints.ts");
      setExit(await webFingerprints(opts));
    });
}
