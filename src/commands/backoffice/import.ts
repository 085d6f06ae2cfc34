import { readFileSync } from "node:fs";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { CSV_KINDS, parseRecordsCsv, type CsvKind } from "../../core/records/csv.ts";
import { RECORD_KINDS } from "../../core/records/format.ts";
import { ImportRefusedError, importRecords, parseRecordLines, type ImportSummary } from "../../core/records/import.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface BackofficeImportOptions {
  format?: string;
  kind?: string;
  now?: string;
  json?: boolean;
}

/** `leadjobs backoffice import FILE|-`: every refused record on stderr by line, exit 2, nothing written. */
export async function backofficeImport(
  g: GlobalOptions,
  file: string,
  o: BackofficeImportOptions,
  stdin = () => readFileSync(0, "utf8"),
): Promise<number> {
  const format = o.format ?? (/\.csv$/i.test(file) ? "csv" : "ndjson");
  if (format !== "csv" && format !== "ndjson") throw new UsageError(`invalid --format "${format}": expected ndjson or csv`);
  if (o.kind !== undefined && !(o.kind in CSV_KINDS))
    throw new UsageError(`invalid --kind "${o.kind}": expected ${Object.keys(CSV_KINDS).join(" or ")}`);
  if (o.kind !== undefined && format !== "csv") throw new UsageError("--kind only goes with a CSV file");
  const source = file === "-" ? "stdin" : file;
  const text = file === "-" ? stdin() : readText(file);
  const lines = format === "csv" ? parseRecordsCsv(text, source, o.kind as CsvKind | undefined) : parseRecordLines(text);
  if (lines.length === 0) throw new UsageError(`${source} holds no records`);

  const ctx = await openContext(g, {}, { now: o.now });
  try {
    let summary: ImportSummary;
    try {
      summary = await importRecords(ctx.db, lines, { source, now: ctx.clock() });
    } catch (e) {
      if (!(e instanceof ImportRefusedError)) throw e;
      for (const r of e.refused) process.stderr.write(`leadjobs: ${source} line ${r.line}: ${r.reason}\n`);
      if (o.json) printJson({ ok: false, refused: e.refused });
      throw e;
    }
    if (o.json) printJson({ ok: true, ...summary });
    else if (!g.quiet) {
      const parts = RECORD_KINDS.filter((k) => {
        const c = summary.kinds[k];
        return c.created + c.updated + c.unchanged > 0;
      }).map((k) => {
        const c = summary.kinds[k];
        return `${k}: ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged`;
      });
      printLine(
        `imported ${summary.records} record(s) from ${source}${parts.length ? ` (${parts.join("; ")})` : ""}${summary.pdfJobs ? `; ${summary.pdfJobs} invoice PDF job(s) queued` : ""}`,
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}
