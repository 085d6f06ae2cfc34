import { importCompanies, inspectImport, type ImportSummary } from "../../core/companies/import.ts";
import { fileSource } from "../../core/companies/source.ts";
import { ENCODINGS, type TextEncodingName } from "../../core/companies/formats/detect.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { formatDuration } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export interface CompaniesImportOptions {
  encoding?: string;
  /** true: --mark-missing (always), false: --no-mark-missing (never), undefined: auto. */
  markMissing?: boolean;
  json?: boolean;
}

export async function companiesImport(g: GlobalOptions, file: string, o: CompaniesImportOptions): Promise<number> {
  if (o.encoding !== undefined && !(ENCODINGS as readonly string[]).includes(o.encoding)) {
    throw new UsageError(`invalid --encoding "${o.encoding}": expected ${ENCODINGS.join(" or ")}`);
  }
  const source = await fileSource(file);
  await inspectImport(source, o.encoding as TextEncodingName | undefined); // format, encoding and header: exit 2 before the database is touched
  const ctx = await openContext(g);
  // The first SIGINT/SIGTERM stops the import after the batch it is writing: its row is closed as
  // failed with what was saved, and one line says so (the default would die with the row 'running').
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const tty = Boolean(process.stderr.isTTY) && !g.quiet;
    const summary = await importCompanies(ctx.store, {
      source,
      encoding: o.encoding as TextEncodingName | undefined,
      clock: ctx.clock,
      runner: { owner: ctx.owner, ownerGone: ctx.ownerGone },
      markMissing: o.markMissing === undefined ? "auto" : o.markMissing ? "always" : "never",
      signal: stop.signal,
      onProgress: tty
        ? (p) =>
            process.stderr.write(
              `\r${p.rows.toLocaleString("en-US")} rows${p.totalBytes ? ` (${Math.floor((100 * p.bytes) / p.totalBytes)}%)` : ""}…`,
            )
        : undefined,
    }).finally(() => {
      if (tty) process.stderr.write("\r\u001b[K"); // the progress line goes before the summary or the error
    });
    for (const note of summary.notes) ctx.log.warn(note);
    if (o.json) printJson(summary);
    else await render(summary);
    const valid = summary.imported + summary.updated + summary.unchanged;
    return summary.rows > 0 && valid === 0 && summary.rejected > 0 ? ExitCode.Failure : ExitCode.Ok;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await ctx.close();
  }
}

const n = (v: number) => v.toLocaleString("en-US");

async function render(s: ImportSummary): Promise<void> {
  printLine(`imported ${s.file} (${s.format} format, ${s.encoding}) in ${formatDuration(s.durationMs)}`);
  const reasons = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([r, c]) => `${r}: ${n(c)}`)
      .join("; ");
  await printTable(
    ["", "companies", "note"],
    [
      ["rows read", n(s.rows), null],
      ["new", n(s.imported), null],
      ["updated", n(s.updated), null],
      ["unchanged", n(s.unchanged), null],
      ["rejected", n(s.rejected), reasons(s.rejectedByReason) || null],
      ["skipped", n(s.skipped), reasons(s.skippedByReason) || null],
      ["no longer in the register", n(s.missing), s.format === "csv" ? "not checked for CSV files" : null],
      ["newly deregistered", n(s.deregistered), null],
    ],
  );
  if (s.rejects.length > 0) {
    printLine(`rejected rows${s.rejects.length < s.rejected ? ` (first ${s.rejects.length}; all in --json up to 1000)` : ""}:`);
    for (const r of s.rejects.slice(0, 20)) printLine(`  line ${r.line}: ${r.reason}`);
    if (s.rejects.length > 20) printLine(`  … ${n(s.rejected - 20)} more (--json lists up to 1000)`);
  }
}
