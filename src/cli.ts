import { Command, CommanderError } from "commander";
import pkg from "../package.json" with { type: "json" };
import { ExitCode, LeadjobsError } from "./core/errors.ts";
import { mapDatabaseError } from "./core/db/errors.ts";
import { registerBackoffice } from "./commands/backoffice/grammar.ts";
import { errorText, redactEnv } from "./core/util/redact.ts";
import { ignoreClosedStdout } from "./commands/shared/output.ts";
import { registerBrands } from "./commands/brands/grammar.ts";
import { registerCompanies } from "./commands/companies/grammar.ts";
import { registerDb } from "./commands/db/grammar.ts";
import {
  registerAlerts,
  registerCleanup,
  registerEnqueue,
  registerHelp,
  registerInvoicePdf,
  registerProcess,
  registerRunBatch,
  registerSeed,
  registerStatus,
  registerTrack,
  registerTracked,
  registerUntrack,
} from "./commands/grammar.ts";
import { registerInvoices } from "./commands/invoices/grammar.ts";
import { registerJobs } from "./commands/jobs/grammar.ts";
import { registerLeads } from "./commands/leads/grammar.ts";
import { registerLinks } from "./commands/links/grammar.ts";
import { registerProjects } from "./commands/projects/grammar.ts";
import { registerReport } from "./commands/report/grammar.ts";
import { registerSchedule } from "./commands/schedule/grammar.ts";
import type { SetExit } from "./commands/shared/grammar.ts";
import { registerTerminals } from "./commands/terminals/grammar.ts";
import { registerUsers } from "./commands/users/grammar.ts";
import { registerWeb } from "./commands/web/grammar.ts";

/** Every command, in the order `--help` lists them: top-level verbs and one group per noun. */
const GRAMMAR: ReadonlyArray<(program: Command, setExit: SetExit) => void> = [
  registerProcess,
  registerJobs,
  registerStatus,
  registerSeed,
  registerDb,
  registerBrands,
  registerReport,
  registerAlerts,
  registerInvoicePdf,
  registerCleanup,
  registerEnqueue,
  registerSchedule,
  registerTrack,
  registerUntrack,
  registerTracked,
  registerRunBatch,
  registerWeb,
  registerCompanies,
  registerTerminals,
  registerLeads,
  registerBackoffice,
  registerInvoices,
  registerProjects,
  registerLinks,
  registerUsers,
  registerHelp,
];

/** The whole argument grammar; each command's handler is imported only when it runs. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("leadjobs")
    .description("background work of a Swedish B2B sales and back-office operation, from one SQLite file")
    .version(pkg.version, "-V, --version")
    .option(
      "--db <path|url>",
      "SQLite database file, or postgres://user@host/db (LEADJOBS_DB; default $XDG_DATA_HOME/leadjobs/leadjobs.db)",
    )
    .option("--config <path>", "JSON config file (LEADJOBS_CONFIG; default $XDG_CONFIG_HOME/leadjobs/config.json)")
    .option("-v, --verbose", "more logging on stderr, stack traces on errors")
    .option("-q, --quiet", "only errors on stderr")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) =>
        write(
          `leadjobs: ${text
            .replace(/^error: /, "")
            .replace(/\s*\n\s*/g, " ")
            .trim()}\n`,
        ),
    });
  for (const register of GRAMMAR) register(program, setExit);
  return program;
}

/** Runs the CLI; the only place that decides the exit code. */
export async function main(argv: string[]): Promise<number> {
  ignoreClosedStdout();
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    return reportError(e, argv.includes("--verbose") || argv.includes("-v"));
  }
}

function reportError(raw: unknown, verbose: boolean): number {
  if (raw instanceof CommanderError) {
    if (raw.code === "commander.helpDisplayed" || raw.code === "commander.version") return ExitCode.Ok;
    return ExitCode.Usage; // commander already printed one line (or the help, when no command was given)
  }
  const e = mapDatabaseError(raw);
  if (e instanceof LeadjobsError) {
    process.stderr.write(`leadjobs: ${errorText(`${e.message}${e.hint ? ` (${e.hint})` : ""}`, process.env)}\n`);
    if (verbose && e.stack) process.stderr.write(`${redactEnv(e.stack, process.env)}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(
    `leadjobs: internal error: ${errorText(message, process.env)}${verbose ? "" : " (run with --verbose for the stack trace)"}\n`,
  );
  if (verbose && e instanceof Error && e.stack) process.stderr.write(`${redactEnv(e.stack, process.env)}\n`);
  return ExitCode.Internal;
}
