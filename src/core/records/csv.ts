import { parse } from "csv-parse/sync";
import { UsageError } from "../errors.ts";

/** The kinds a CSV file may hold (what people keep in spreadsheets), with their whole-number columns. */
export const CSV_KINDS = { "time-entry": ["minutes", "hourlyRateOre"], "material-cost": ["amountOre"] } as const;
export type CsvKind = keyof typeof CSV_KINDS;

/**
 * Reads a CSV file of time entries or material costs into the values the NDJSON format has:
 * a header row names the fields (the record's field names; `kind` may be a column, else the
 * caller's `kind`, else a `minutes` column means time entries and an `amountOre` column material
 * costs; a file none of these tells about is refused), an empty cell leaves its field out,
 * whole-number columns become numbers (a cell that is not one is left as text, so the record is
 * refused naming it). Comma or semicolon separated.
 */
export function parseRecordsCsv(text: string, source: string, kind: CsvKind | undefined): Array<{ line: number; value: unknown }> {
  const header = text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"));
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(text, { columns: true, delimiter, skip_empty_lines: true, trim: true, bom: true, info: true }) as typeof rows;
  } catch (e) {
    throw new UsageError(`${source} is not valid CSV: ${(e as Error).message}`);
  }
  const columns = Object.keys(rows[0]?.record ?? {});
  const fileKind = kind ?? (columns.includes("minutes") ? "time-entry" : columns.includes("amountOre") ? "material-cost" : undefined);
  if (rows.length > 0 && fileKind === undefined && !columns.includes("kind"))
    throw new UsageError(
      `${source}: no column says what its rows are (a "minutes" column for time entries, "amountOre" for material costs, or "kind"): add one, or give --kind time-entry or --kind material-cost`,
    );
  return rows.map(({ record, info }) => {
    const value: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (v !== "") value[k] = v;
    if (value.kind === undefined && fileKind !== undefined) value.kind = fileKind;
    const ints: readonly string[] = CSV_KINDS[value.kind as CsvKind] ?? [];
    for (const k of ints) {
      const v = value[k];
      if (typeof v === "string" && /^-?\d+$/.test(v)) value[k] = Number(v);
    }
    return { line: info.lines, value };
  });
}
