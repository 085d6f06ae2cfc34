import type { Command } from "commander";
import { registerAlertViews } from "./alerts/grammar.ts";
import { collect, globals, type SetExit } from "./shared/grammar.ts";
import { pagingOptions } from "./shared/paging.ts";

// The grammar of the top-level verbs; each group's is in its folder (src/commands/<group>/grammar.ts).

const NOW = "act as if it were then (ISO time; tests and previews)";

/** process: the worker. */
export function registerProcess(program: Command, setExit: SetExit): void {
  program
    .command("process")
    .description("worker: claim due jobs, run them, retry or dead-letter failures; exits when none is due")
    .option("--concurrency <n>", "jobs run at once (default 5; LEADJOBS_CONCURRENCY)")
    .option("--type <type>", "only these job types (repeatable)", collect)
    .option("--max-jobs <n>", "stop claiming after n jobs")
    .option("--max-runtime <duration>", "stop claiming after this long; running jobs get --grace, then are released")
    .option("--wait", "keep polling for new work (until --max-runtime or a signal)")
    .option("--poll <duration>", "poll interval with --wait (default 1s)")
    .option("--lease <duration>", "lease length, renewed while a job runs (default 30s)")
    .option("--grace <duration>", "on SIGTERM/SIGINT or --max-runtime: time running jobs get before release (default 10s)")
    .option("--json", "print the run summary as JSON")
    .option("--ping-url <url>", "Healthchecks-style dead man's switch: URL/start, then URL or URL/<exit code>")
    .action(async (opts, cmd: Command) => {
      const { processCommand } = await import("./process.ts");
      setExit(await processCommand(globals(cmd), opts));
    });
}

/** status: what is queued, running, failing and due. */
export function registerStatus(program: Command, setExit: SetExit): void {
  program
    .command("status")
    .description("what is queued, running, failing and due; --check for monitoring")
    .option("--json", "print one JSON document")
    .option("--check", "exit 1 and say why when something is unhealthy")
    .option("--max-pending-age <duration>", "with --check: due work older than this is unhealthy (default 1h)")
    .option("--max-worker-idle <duration>", "with --check: no successful process run for this long is unhealthy (default 1h)")
    .option("--dead-window <duration>", "with --check: jobs that died within this window are unhealthy (default 24h)")
    .option("--now <iso>", "evaluate as if it were then")
    .action(async (opts, cmd: Command) => {
      const { statusCommand } = await import("./status.ts");
      setExit(await statusCommand(globals(cmd), opts));
    });
}

/** seed: demo data. */
export function registerSeed(program: Command, setExit: SetExit): void {
  program
    .command("seed")
    .description("fill the database with realistic, deterministic demo data")
    .option("--seed <n>", "random seed (default 1)")
    .option("--companies <n>", "companies (default 2000)")
    .option("--users <n>", "users (default 8)")
    .option("--tracked <n>", "company trackings with ranks 1-100 (default 400)")
    .option("--answers <n>", "stored sample AI answers for the demo brand (default 200)")
    .option("--reset", "delete existing data first")
    .option("--force", "seed even into a database holding data that is not the seed's (imported companies, own schedules or tenants)")
    .option("--now <iso>", "pin the clock for fully reproducible rows")
    .option("--json", "print the counts as JSON")
    .action(async (opts, cmd: Command) => {
      const { seedCommand } = await import("./seed.ts");
      setExit(await seedCommand(globals(cmd), opts));
    });
}

/** alerts: the budget alert worker, a thin front for its job type; its subcommands list what it produced. */
export function registerAlerts(program: Command, setExit: SetExit): void {
  const alerts = program
    .command("alerts")
    .description("budget alert worker: create and resolve project budget alerts, notify tenant admins (job budget.alerts)")
    .option("--now <iso>", "evaluate as if it were then")
    .option("--json", "print the run summary as JSON")
    .action(async (opts, cmd: Command) => {
      const { alertsCommand } = await import("./alerts.ts");
      setExit(await alertsCommand(globals(cmd), opts));
    });
  registerAlertViews(alerts, setExit);
}

/** invoice-pdf: the invoice PDF worker. */
export function registerInvoicePdf(program: Command, setExit: SetExit): void {
  program
    .command("invoice-pdf")
    .description("render Swedish invoice PDFs to <storage root>/invoices/<tenant>/<number>.pdf (job invoice.pdf)")
    .option("--id <id>", "render this invoice")
    .option(
      "--pending",
      "render every issued invoice whose PDF is missing, older than its last change, or whose file is gone or no longer matches its sha256",
    )
    .option("--out <dir>", "storage root (LEADJOBS_STORAGE_ROOT; default $XDG_DATA_HOME/leadjobs)")
    .option("--limit <n>", "with --pending: at most n invoices in this run")
    .option("--now <iso>", "run as if it were then")
    .option("--json", "print the run summary as JSON")
    .action(async (opts, cmd: Command) => {
      const { invoicePdfCommand } = await import("./invoice-pdf.ts");
      setExit(await invoicePdfCommand(globals(cmd), opts));
    });
}

/** cleanup: share links, link views and queue history. */
export function registerCleanup(program: Command, setExit: SetExit): void {
  program
    .command("cleanup")
    .description("deactivate expired and used-up share links, delete old link views, prune queue history (jobs links.cleanup, queue.prune)")
    .option("--dry-run", "report what would be done; write nothing")
    .option("--view-retention <duration>", "delete share-link views older than this (LEADJOBS_VIEW_RETENTION; default 90d)")
    .option("--job-retention <duration>", "delete completed and cancelled jobs finished longer ago (LEADJOBS_JOB_RETENTION; default 30d)")
    .option("--dead-job-retention <duration>", "delete dead jobs finished longer ago (LEADJOBS_DEAD_JOB_RETENTION; default 90d)")
    .option("--now <iso>", "run as if it were then")
    .option("--json", "print the summary as JSON")
    .action(async (opts, cmd: Command) => {
      const { cleanupCommand } = await import("./cleanup.ts");
      setExit(await cleanupCommand(globals(cmd), opts));
    });
}

/** enqueue: the scheduler tick. */
export function registerEnqueue(program: Command, setExit: SetExit): void {
  program
    .command("enqueue")
    .description("scheduler tick: enqueue due schedule runs and company refreshes, record missed runs, rescue lost jobs")
    .option("--now <iso>", "evaluate as if it were then")
    .option("--dry-run", "print what would be enqueued; write nothing")
    .option("--refresh-cap <n>", "at most n company refresh jobs this tick (default 200; LEADJOBS_REFRESH_CAP)")
    .option("--ping-url <url>", "Healthchecks-style dead man's switch: URL/start, then URL or URL/<exit code>")
    .option("--json", "print what was enqueued as JSON")
    .action(async (opts, cmd: Command) => {
      const { enqueueCommand } = await import("./enqueue.ts");
      setExit(await enqueueCommand(globals(cmd), opts));
    });
}

/** track: follow a company with a rank. */
export function registerTrack(program: Command, setExit: SetExit): void {
  program
    .command("track")
    .description("track a company with a rank 1-100; its highest rank sets how often it is refreshed")
    .argument("<orgnr>", "organisationsnummer")
    .requiredOption("--rank <n>", "1 (lowest) to 100 (highest)")
    .option("--keywords <list>", 'comma-separated keywords, e.g. "lager,logistik"')
    .option("--as <user>", "for this user (default: the OS user; with no users defined added if unknown; else only an admin names another)")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { trackCommand } = await import("./track.ts");
      setExit(await trackCommand(globals(cmd), orgnr, opts));
    });
}

/** untrack: stop following a company. */
export function registerUntrack(program: Command, setExit: SetExit): void {
  program
    .command("untrack")
    .description("stop tracking a company")
    .argument("<orgnr>", "organisationsnummer")
    .option("--as <user>", "for this user (default: the OS user)")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { untrackCommand } = await import("./untrack.ts");
      setExit(await untrackCommand(globals(cmd), orgnr, opts));
    });
}

/** tracked: the tracked companies, or their matching open positions; `tracked hiring`: their hiring history. */
export function registerTracked(program: Command, setExit: SetExit): void {
  const tracked = pagingOptions(program.command("tracked"), "companies (or matches)", 100)
    .description("tracked companies: rank, refresh interval, last and next refresh, last outcome, open positions")
    .option("--as <user>", "only this user's")
    .option("--matches", "instead: open positions whose titles match the users' keywords (--as: one user's)")
    .option("--now <iso>", NOW)
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { trackedCommand } = await import("./tracked.ts");
      setExit(await trackedCommand(globals(cmd), opts));
    });
  // commander gives an option `tracked` knows to `tracked` wherever it is written: take them from there too.
  tracked
    .command("hiring")
    .description("hiring history from the careers pages: open positions, and when each was opened and closed, how long it was listed")
    .argument("[orgnr]", "one tracked company (default: every tracked company)")
    .option("--as <user>", "only this user's tracked companies")
    .option("--limit <n>", "at most n positions (default 200)")
    .option("--now <iso>", NOW)
    .option("--json", "print JSON")
    .action(async (orgnr: string | undefined, opts, cmd: Command) => {
      const { trackedHiring } = await import("./tracked-hiring.ts");
      setExit(await trackedHiring(globals(cmd), orgnr, { ...cmd.parent?.opts(), ...opts }));
    });
}

/** run-batch: website technology analysis in batches. */
export function registerRunBatch(program: Command, setExit: SetExit): void {
  program
    .command("run-batch")
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
    .option("--ignore-robots", "do not read robots.txt for this run (by default a page it disallows is skipped)")
    .option("--concurrency <n>", "sites analysed at once (default 5; LEADJOBS_WEB_CONCURRENCY)")
    .option("--browser-pages <n>", "browser pages rendered at once (default 1; LEADJOBS_WEB_BROWSER_PAGES)")
    .option("--delay <duration>", "minimum pause between two requests to one host (default 1s; LEADJOBS_WEB_DELAY)")
    .option("--timeout <duration>", "per request (default 20s; LEADJOBS_WEB_TIMEOUT)")
    .option("--chromium <path>", "Chromium executable (default /usr/bin/chromium; LEADJOBS_CHROMIUM_PATH)")
    .option("--json", "print the batches and their items as JSON")
    .action(async (opts, cmd: Command) => {
      const { runBatchCommand } = await import("./run-batch.ts");
      setExit(await runBatchCommand(globals(cmd), opts));
    });
}

/** help [command...]: the help of a command at any depth (`help schedule add`), not only of a group. */
export function registerHelp(program: Command, setExit: SetExit): void {
  program
    .command("help")
    .description("help for a command: help schedule add")
    .argument("[command...]", "a group and its verb, or a top-level command")
    .action(async (words: string[]) => {
      const { helpCommand } = await import("./help.ts");
      setExit(helpCommand(program, words));
    });
}
