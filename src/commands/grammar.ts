import type { Command } from "commander";
import { globals, type SetExit } from "./shared/grammar.ts";

/** alerts, invoice-pdf, cleanup: the back-office workers, each a thin front for its job types. */
export function registerBackofficeCommands(program: Command, setExit: SetExit): void {
  program.command("alerts")
    .description("budget alert worker: create and resolve project budget alerts, notify tenant admins (job budget.alerts)")
    .option("--now <iso>", "evaluate as if it were then")
    .option("--json", "print the run summary as JSON")
    .action(async (opts, cmd: Command) => {
      const { alertsCommand } = await import("./alerts.ts");
      setExit(await alertsCommand(globals(cmd), opts));
    });

  program.command("invoice-pdf")
    .description("render Swedish invoice PDFs to <storage root>/invoices/<tenant>/<number>.pdf (job invoice.pdf)")
    .option("--id <id>", "render this invoice")
    .option("--pending", "render every issued invoice whose PDF is missing or older than its last change")
    .option("--out <dir>", "storage root (LEADJOBS_STORAGE_ROOT; default $XDG_DATA_HOME/leadjobs)")
    .option("--limit <n>", "with --pending: at most n invoices in this run")
    .option("--now <iso>", "run as if it were then")
    .option("--json", "print the run summary as JSON")
    .action(async (opts, cmd: Command) => {
      const { invoicePdfCommand } = await import("./invoice-pdf.ts");
      setExit(await invoicePdfCommand(globals(cmd), opts));
    });

  program.command("cleanup")
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
