import type { ParsedRow } from "../record.ts";
import { looksLikeBolagsverketRow, parseBolagsverketFields, splitBolagsverketRow } from "./bolagsverket.ts";
import { csvLayout, parseCsvFields, splitCsvRecord, type CsvLayout } from "./csv.ts";
import type { DetectedFormat } from "./detect.ts";
import { parseScbFields, scbColumns, type ScbColumns } from "./scb.ts";

export type Emit = (row: ParsedRow, line: number) => void;

/** Turns physical lines into parsed rows; a row may span lines (a quoted line break). */
export interface RowReader {
  line(text: string, lineNo: number, emit: Emit): void;
  end(emit: Emit): void;
}

/** A record that spans more lines than this is rejected (a stray quote would otherwise eat the file). */
const MAX_LINES_PER_ROW = 20;

export function rowReader(d: DetectedFormat): RowReader {
  switch (d.format) {
    case "bolagsverket":
      return new BolagsverketReader(d.hasHeader);
    case "scb":
      return new ScbReader(scbColumns(d.firstLine));
    case "csv":
      return new CsvReader(csvLayout(d.firstLine, d.delimiter ?? ","));
  }
}

abstract class MultiLineReader implements RowReader {
  private pending: string | null = null;
  private start = 0;
  private lines = 0;
  protected abstract header: boolean;
  protected abstract split(text: string): { fields: string[] } | { incomplete: true } | { error: string };
  protected abstract parse(fields: string[]): ParsedRow;
  /** A line that clearly starts a new row ends an unterminated one (a stray quote) instead of joining it. */
  protected startsRow(_text: string): boolean {
    return false;
  }

  line(text: string, lineNo: number, emit: Emit): void {
    if (this.header) {
      this.header = false;
      return;
    }
    if (this.pending === null) {
      if (text.trim() === "") return;
      this.pending = text;
      this.start = lineNo;
      this.lines = 1;
    } else if (this.startsRow(text)) {
      emit({ kind: "reject", reason: "unterminated row (a quoted field never ends)" }, this.start);
      this.pending = text;
      this.start = lineNo;
      this.lines = 1;
    } else {
      this.pending += `\n${text}`;
      this.lines++;
    }
    const r = this.split(this.pending);
    if ("incomplete" in r) {
      if (this.lines < MAX_LINES_PER_ROW) return;
      emit({ kind: "reject", reason: `unterminated row (a quoted field runs over ${MAX_LINES_PER_ROW} lines)` }, this.start);
    } else if ("error" in r) emit({ kind: "reject", reason: `malformed row: ${r.error}` }, this.start);
    else emit(this.parse(r.fields), this.start);
    this.pending = null;
  }

  end(emit: Emit): void {
    if (this.pending !== null) emit({ kind: "reject", reason: "unterminated row at the end of the file" }, this.start);
    this.pending = null;
  }
}

class BolagsverketReader extends MultiLineReader {
  protected header: boolean;
  constructor(hasHeader: boolean) {
    super();
    this.header = hasHeader;
  }
  protected split(text: string) {
    return splitBolagsverketRow(text);
  }
  protected parse(fields: string[]) {
    return parseBolagsverketFields(fields);
  }
  protected override startsRow(text: string): boolean {
    return looksLikeBolagsverketRow(text);
  }
}

class CsvReader extends MultiLineReader {
  protected header = true;
  private readonly layout: CsvLayout;
  private readonly width: number;
  constructor(layout: CsvLayout) {
    super();
    this.layout = layout;
    this.width = Math.max(...Object.values(layout.columns)) + 1;
  }
  protected split(text: string) {
    const r = splitCsvRecord(text, this.layout.delimiter);
    if (!r.complete) return { incomplete: true as const };
    if (r.error !== undefined) return { error: r.error };
    if (r.fields.length !== this.width) return { error: `${r.fields.length} fields, the header has ${this.width}` };
    return { fields: r.fields };
  }
  protected parse(fields: string[]) {
    return parseCsvFields(fields, this.layout);
  }
}

class ScbReader implements RowReader {
  private header = true;
  private readonly cols: ScbColumns;
  private readonly width: number;
  constructor(cols: ScbColumns) {
    this.cols = cols;
    this.width = Math.max(...Object.values(cols)) + 1;
  }
  line(text: string, lineNo: number, emit: Emit): void {
    if (this.header) {
      this.header = false;
      return;
    }
    if (text.trim() === "") return;
    const fields = text.split("\t");
    if (fields.length < Math.min(this.width, (this.cols.peorgnr ?? 0) + 1)) {
      emit({ kind: "reject", reason: `malformed row: ${fields.length} fields, the header has ${this.width}` }, lineNo);
      return;
    }
    emit(parseScbFields(fields, this.cols), lineNo);
  }
  end(): void {}
}
