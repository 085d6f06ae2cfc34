import type { Command } from "commander";
import { collect, globals, type SetExit } from "../shared/grammar.ts";

/** backoffice: the operator's own back-office data in and out. */
export function registerBackoffice(program: Command, setExit: SetExit): void {
  const backoffice = program
    .command("backoffice")
    .description("your own back-office data: import and export tenants, clients, projects, budgets, time, material, invoices, share links");
  backoffice
    .command("import")
    .description(
      "import back-office records (NDJSON, or CSV of time entries and material costs); all or nothing, re-importing updates in place",
    )
    .argument("<file>", "an .ndjson/.jsonl file or a .csv file; - for stdin")
    .option("--format <format>", "ndjson or csv (default: from the file name; ndjson for stdin)")
    .option("--kind <kind>", "for a CSV without a kind column: time-entry or material-cost")
    .option("--now <iso>", "act as if it were then (row timestamps)")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts, cmd: Command) => {
      const { backofficeImport } = await import("./import.ts");
      setExit(await backofficeImport(globals(cmd), file, opts));
    });
  backoffice
    .command("export")
    .description("print the back-office records as NDJSON, in the format import reads")
    .option("--tenant <slug>", "only this tenant (repeatable)", collect)
    .action(async (opts, cmd: Command) => {
      const { backofficeExport } = await import("./export.ts");
      setExit(await backofficeExport(globals(cmd), opts));
    });
}
