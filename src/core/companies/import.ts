import { sql } from "kysely";
import type { Store } from "../db/connection.ts";
import type { Db } from "../db/handle.ts";
import { importCounts, NO_IMPORT_COUNTS, type ImportCounts, type ImportFormat } from "./schema.ts";
import { errorMessage, LeadjobsError, UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import type { Clock } from "../types.ts";
import { MAX_STORED_REJECTS, type BatchCounts, type LoadedRow, type RejectedRow } from "./bulk-load.ts";
import { CompanyBulkLoader, optimizeIndex } from "./bulk-load.sqlite.ts";
import { csvLayout, type CsvColumn } from "./formats/csv.ts";
import { detectFormat, textDecoder, type DetectedFormat, type TextEncodingName } from "./formats/detect.ts";
import { rowReader } from "./formats/rows.ts";
import type { CompanyColumn, ParsedRow } from "./record.ts";
import { HEARTBEAT_MS, startImportRun, touchImportRun, type ImportRunner } from "./import-run.ts";
import type { ImportSource } from "./source.ts";

export interface ImportOptions {
  source: ImportSource;
  /** Overrides encoding detection. */
  encoding?: TextEncodingName | undefined;
  clock: Clock;
  /**
   * auto (default): after a complete import of a bulk file, mark the companies of that source
   * it no longer has, unless it has fewer than half the companies of the previous import (a
   * truncated file?); always / never.
   */
  markMissing?: "auto" | "always" | "never";
  batchSize?: number;
  /** Who runs the import (default: this process): lets a later import tell that this one was killed (import-run.ts). */
  runner?: ImportRunner | undefined;
  onProgress?: ((p: ImportProgress) => void) | undefined;
  /** Aborted (SIGINT/SIGTERM): the import stops after the batch it is writing and closes its row as failed. */
  signal?: AbortSignal | undefined;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
  totalBytes: number | null;
}

export interface ImportSummary extends ImportCounts {
  importId: number;
  file: string;
  format: ImportFormat;
  encoding: TextEncodingName;
  rejectedByReason: Record<string, number>;
  skippedByReason: Record<string, number>;
  /** The first rejected rows (at most 1000), by line. */
  rejects: RejectedRow[];
  /** Rows with bytes that are not valid in the chosen encoding. */
  encodingErrors: number;
  notes: string[];
  /** Time spent merging the search index after a large import (0 when not needed). */
  indexOptimizeMs: number;
  durationMs: number;
}

/** Rows written after which the search index is merged (see optimizeIndex). */
const OPTIMIZE_AFTER = 10_000;

const FORMAT_COLUMNS: Record<Exclude<ImportFormat, "csv">, CompanyColumn[]> = {
  bolagsverket: [
    "name",
    "alt_names",
    "legal_form",
    "status",
    "registered_on",
    "deregistered_on",
    "description",
    "street",
    "co_address",
    "postcode",
    "town",
    "municipality",
  ],
  scb: [
    "name",
    "legal_form",
    "status",
    "street",
    "co_address",
    "postcode",
    "town",
    "municipality",
    "sni_codes",
    "reklamsparr",
    "registered_on",
  ],
};

const CSV_TO_COMPANY: Record<Exclude<CsvColumn, "orgnr">, CompanyColumn> = {
  name: "name",
  legal_form: "legal_form",
  status: "status",
  street: "street",
  co_address: "co_address",
  postcode: "postcode",
  town: "town",
  municipality: "municipality",
  sni: "sni_codes",
  description: "description",
  website: "website",
  revenue_tkr: "revenue_tkr",
  employees: "employees",
  reklamsparr: "reklamsparr",
  registered_on: "registered_on",
  deregistered_on: "deregistered_on",
};

/** Reads the start of the file and decides format and encoding; throws UsageError before anything is written. */
export async function inspectImport(
  source: ImportSource,
  encoding?: TextEncodingName,
): Promise<DetectedFormat & { columns: CompanyColumn[] }> {
  const sample = await source.sample(1 << 20);
  if (sample.length === 0) throw new UsageError(`${source.name} is empty`);
  if (looksBinary(sample))
    throw new UsageError(`${source.name} is not a text file`, {
      hint: "expected Bolagsverket's bulk file, SCB's bulk file or a CSV (or a .zip of one)",
    });
  const detected = detectFormat(sample, encoding);
  rowReader(detected); // validates the header (unknown CSV columns, no PeOrgNr) before any write
  let columns: CompanyColumn[];
  if (detected.format === "csv") {
    const layout = csvLayout(detected.firstLine, detected.delimiter ?? ",");
    columns = (Object.keys(layout.columns) as CsvColumn[])
      .filter((c) => c !== "orgnr")
      .map((c) => CSV_TO_COMPANY[c as Exclude<CsvColumn, "orgnr">]);
    if (columns.includes("town") && !columns.includes("municipality")) columns.push("municipality");
  } else columns = FORMAT_COLUMNS[detected.format];
  return { ...detected, columns };
}

/** A NUL byte, or control bytes other than tab, line feed, form feed, carriage return and DOS end-of-file, near the start. */
function looksBinary(sample: Buffer): boolean {
  const head = sample.subarray(0, 8192);
  return head.some((b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1a) || b === 0x7f);
}

/**
 * Streams a register file into `company`: never the whole file in memory, a transaction per
 * batch. Re-importing updates rows in place; a complete import of a bulk file marks the
 * companies of that source it no longer has (`missing_since`).
 */
export async function importCompanies(store: Store, o: ImportOptions): Promise<ImportSummary> {
  const started = o.clock();
  const detected = await inspectImport(o.source, o.encoding);
  const now = toInstant(started);
  const importId = await startImportRun(store.db, {
    file: o.source.name,
    format: detected.format,
    encoding: detected.encoding,
    now: started,
    runner: o.runner,
  });

  const summary: ImportSummary = {
    importId,
    file: o.source.name,
    format: detected.format,
    encoding: detected.encoding,
    ...NO_IMPORT_COUNTS,
    rejectedByReason: {},
    skippedByReason: {},
    rejects: [],
    encodingErrors: 0,
    notes: [],
    indexOptimizeMs: 0,
    durationMs: 0,
  };
  const loader = await bulkLoader(store, { importId, format: detected.format, columns: detected.columns, now });
  const batchSize = o.batchSize ?? 5000;
  let batch: LoadedRow[] = [];
  let batchRejects: RejectedRow[] = [];
  // Rows are collected line by line and written a batch at a time between chunks of the file.
  // One batch is written while the next is read from the file (on PostgreSQL the server works
  // while this process parses); batches are written one at a time, in order.
  let writing: Promise<void> = Promise.resolve();
  let touchedAt = started;
  const touch = async () => {
    if (o.clock() - touchedAt < HEARTBEAT_MS) return;
    touchedAt = o.clock();
    await touchImportRun(store.db, importId, touchedAt);
  };
  const flush = async (all: boolean) => {
    while (batch.length >= batchSize || (all && (batch.length > 0 || batchRejects.length > 0))) {
      const rows = batch.slice(0, batchSize);
      const rejects = batchRejects;
      batch = batch.slice(rows.length);
      batchRejects = [];
      await writing;
      writing = loader.load(rows, rejects).then((c) => {
        summary.imported += c.imported;
        summary.updated += c.updated;
        summary.unchanged += c.unchanged;
        summary.deregistered += c.deregistered;
      });
      writing.catch(() => undefined); // awaited (and thrown) at the next flush
    }
    if (all) await writing;
    await touch();
  };

  const reader = rowReader(detected);
  let lineText = "";
  const emit = (row: ParsedRow, line: number) => {
    summary.rows++;
    if (row.kind === "company") {
      if (lineText.includes("\uFFFD")) summary.encodingErrors++;
      batch.push({ record: row.record, line });
    } else if (row.kind === "skip") {
      summary.skipped++;
      summary.skippedByReason[row.reason] = (summary.skippedByReason[row.reason] ?? 0) + 1;
    } else {
      summary.rejected++;
      const category = row.reason.split(/[:"(]/)[0]?.trim() || row.reason;
      summary.rejectedByReason[category] = (summary.rejectedByReason[category] ?? 0) + 1;
      if (summary.rejects.length < MAX_STORED_REJECTS) summary.rejects.push({ line, reason: row.reason });
      batchRejects.push({ line, reason: row.reason });
    }
  };

  let firstImport = false;
  try {
    firstImport = await loader.start();
    const decoder = textDecoder(detected.encoding);
    let rest = "";
    let lineNo = 0;
    let bytes = 0;
    let nextProgress = 100_000;
    let first = true;
    for await (const chunk of o.source.open()) {
      bytes += (chunk as Buffer).length;
      let text = rest + decoder.write(chunk as Buffer);
      if (first) {
        text = text.replace(/^\uFEFF/, "");
        first = false;
      }
      let start = 0;
      for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
        lineText = text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
        reader.line(lineText, ++lineNo, emit);
        start = nl + 1;
      }
      rest = text.slice(start);
      await flush(false);
      if (o.signal?.aborted) throw new Interrupted(String(o.signal.reason ?? "aborted"));
      if (o.onProgress && summary.rows >= nextProgress) {
        o.onProgress({ rows: summary.rows, bytes, totalBytes: o.source.size });
        nextProgress = summary.rows + 100_000;
      }
    }
    rest += decoder.end();
    if (rest !== "") {
      lineText = rest.replace(/\r$/, "");
      reader.line(lineText, ++lineNo, emit);
    }
    reader.end(emit);
    await flush(true);
    await loader.finish();

    const policy = o.markMissing ?? "auto";
    if (detected.format !== "csv" && policy !== "never") {
      const previous = await lastSeenCount(store.db, detected.format, importId);
      const seen = summary.imported + summary.updated + summary.unchanged;
      if (policy === "auto" && previous > 0 && seen < previous / 2) {
        summary.notes.push(
          `not marking missing companies: this file has ${seen} companies, the previous ${detected.format} import had ${previous} (a partial file?); --mark-missing forces it`,
        );
      } else if (!firstImport) {
        // (Into an empty table every company of the source is one this import saw.)
        summary.missing = await markMissing(store.db, detected.format, importId, now);
      }
    }
    if (summary.imported + summary.updated + summary.missing >= OPTIMIZE_AFTER) {
      const t = o.clock();
      await touch();
      await loader.optimize();
      summary.indexOptimizeMs = o.clock() - t;
    }
    if (summary.encodingErrors > 0)
      summary.notes.push(
        `${summary.encodingErrors} rows had bytes that are not valid ${detected.encoding}; try --encoding ${detected.encoding === "utf8" ? "latin1" : "utf8"}`,
      );
    summary.durationMs = o.clock() - started;
    await finishImport(store, summary, "completed", null, o.clock());
    return summary;
  } catch (e) {
    await writing.catch(() => undefined); // no batch may still be writing when the loader rolls back
    await loader.abort();
    // The first import is one transaction: rolled back, it wrote no company.
    if (firstImport) Object.assign(summary, { imported: 0, updated: 0, unchanged: 0, deregistered: 0 });
    summary.durationMs = o.clock() - started;
    const failure = e instanceof Interrupted ? interrupted(summary, e.message, firstImport) : e;
    await finishImport(store, summary, "failed", errorMessage(failure), o.clock()).catch(() => undefined);
    throw failure;
  }
}

class Interrupted extends Error {}

const count = (v: number) => v.toLocaleString("en-US");

/** What an import stopped by a signal kept, and that running it again finishes it. */
function interrupted(s: ImportSummary, signal: string, rolledBack: boolean): LeadjobsError {
  const saved = s.imported + s.updated + s.unchanged;
  const kept = rolledBack
    ? "nothing was saved (the first import into an empty register is one transaction)"
    : `${count(saved)} companies saved (${count(s.imported)} new, ${count(s.updated)} updated, ${count(s.unchanged)} unchanged)`;
  return new LeadjobsError(
    `companies import of ${s.file} interrupted (${signal}) after ${count(s.rows)} rows: ${kept}; run the same import again to finish it${
      rolledBack || saved === 0 ? "" : " (what was saved comes out unchanged)"
    }`,
    "FAILED",
  );
}

interface BulkLoader {
  /** Before the first batch; true: the table was empty and the whole import is one transaction (PostgreSQL). */
  start(): Promise<boolean>;
  load(rows: readonly LoadedRow[], rejects: readonly RejectedRow[]): Promise<BatchCounts>;
  /** After the last batch (commits the one transaction of start()). */
  finish(): Promise<void>;
  /** After a failure (rolls the one transaction of start() back). */
  abort(): Promise<void>;
  optimize(): Promise<void>;
}

/** The bulk loader of the store's dialect (the PostgreSQL one, with pg-copy-streams, loaded only then). */
async function bulkLoader(
  store: Store,
  o: { importId: number; format: ImportFormat; columns: CompanyColumn[]; now: string },
): Promise<BulkLoader> {
  if (store.dialect === "postgres") {
    const pg = await import("./bulk-load.postgres.ts");
    const loader = new pg.CompanyBulkLoader(store.pool, o);
    return {
      start: () => loader.start(),
      load: (rows, rejects) => loader.load(rows, rejects),
      finish: () => loader.finish(),
      abort: () => loader.abort(),
      optimize: () => pg.optimizeIndex(store.pool),
    };
  }
  const loader = new CompanyBulkLoader(store.sqlite, o);
  return {
    start: async () => false,
    finish: async () => undefined,
    abort: async () => undefined,
    load: async (rows, rejects) => loader.load(rows, rejects),
    optimize: async () => {
      optimizeIndex(store.sqlite);
    },
  };
}

async function finishImport(
  store: Store,
  s: ImportSummary,
  state: "completed" | "failed",
  error: string | null,
  now: number,
): Promise<void> {
  await store.db
    .updateTable("company_import")
    .set({
      state,
      error,
      finished_at: toInstant(now),
      ...importCounts(s),
    })
    .where("id", "=", s.importId)
    .execute();
}

/** How many companies of a source the last completed import of that source saw. */
async function lastSeenCount(db: Db, format: ImportFormat, currentImportId: number): Promise<number> {
  const row = await db
    .selectFrom("company_import")
    .select(sql<number>`imported + updated + unchanged`.as("n"))
    .where("format", "=", format)
    .where("state", "=", "completed")
    .where("id", "<", currentImportId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.n ?? 0;
}

/** Marks the companies of a source that this (complete) import of the same source did not see. */
async function markMissing(db: Db, format: ImportFormat, importId: number, now: string): Promise<number> {
  const r = await db
    .updateTable("company")
    .set({ missing_since: now, updated_at: now })
    .where("source", "=", format)
    .where("missing_since", "is", null)
    .where((eb) => eb.or([eb("seen_import_id", "is", null), eb("seen_import_id", "<", importId)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
