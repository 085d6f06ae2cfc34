// The SQLite-specific bulk path of `companies import`: prepared better-sqlite3 statements run in
// IMMEDIATE transactions of a few thousand rows on the store's raw handle (Kysely's per-query
// overhead would double the import time of the 1.8-million-row register). Inside each batch the
// full-text triggers are paused and the batch's new and changed rows are indexed with one
// statement: per-row triggers made the whole import three times slower. A PostgreSQL backend
// replaces this file with COPY into a staging table and one INSERT ... ON CONFLICT.
import type BetterSqlite3 from "better-sqlite3";
import type { ImportFormat } from "./schema.ts";
import { MAX_STORED_REJECTS, type BatchCounts, type LoadedRow, type RejectedRow } from "./bulk-load.ts";
import { columnValue, type CompanyColumn } from "./record.ts";

/**
 * How a source's value replaces the stored one. Bulk files are authoritative for the columns
 * they carry; a CSV's empty cell keeps the stored value. Status merges: SCB's active/inactive
 * never undoes Bolagsverket's deregistered, liquidation or bankruptcy, and Bolagsverket's
 * "active" (no procedure, not deregistered) keeps SCB's "inactive".
 */
function mergeExpr(format: ImportFormat, column: CompanyColumn): string {
  const p = `@${column}`;
  const cur = `company.${column}`;
  if (column === "status") {
    if (format === "scb") return `case when ${cur} in ('active', 'inactive') then coalesce(${p}, ${cur}) else ${cur} end`;
    if (format === "bolagsverket") return `case when ${p} = 'active' and ${cur} = 'inactive' then ${cur} else coalesce(${p}, ${cur}) end`;
  }
  if (format === "csv" || column === "name" || column === "status" || column === "sni_codes" || column === "reklamsparr")
    return `coalesce(${p}, ${cur})`;
  return p;
}

const INSERT_DEFAULTS: Partial<Record<CompanyColumn, string>> = { status: "'active'", sni_codes: "'[]'", reklamsparr: "0" };

export class CompanyBulkLoader {
  private readonly sqlite: BetterSqlite3.Database;
  private readonly columns: readonly CompanyColumn[];
  private readonly importId: number;
  private readonly now: string;
  private readonly upsert: BetterSqlite3.Statement;
  private readonly touch: BetterSqlite3.Statement;
  private readonly existing: BetterSqlite3.Statement;
  private readonly reject: BetterSqlite3.Statement;
  private readonly pause: BetterSqlite3.Statement;
  private readonly resume: BetterSqlite3.Statement;
  private readonly unindex: BetterSqlite3.Statement;
  private readonly index: BetterSqlite3.Statement;
  private storedRejects = 0;

  constructor(
    sqlite: BetterSqlite3.Database,
    o: { importId: number; format: ImportFormat; columns: readonly CompanyColumn[]; now: string },
  ) {
    this.sqlite = sqlite;
    this.columns = o.columns;
    this.importId = o.importId;
    this.now = o.now;
    const cols = this.columns;
    const values = cols.map((c) => (INSERT_DEFAULTS[c] ? `coalesce(@${c}, ${INSERT_DEFAULTS[c]})` : `@${c}`));
    const sets = cols.map((c) => `${c} = ${mergeExpr(o.format, c)}`);
    const changed = [...cols.map((c) => `company.${c} is not ${mergeExpr(o.format, c)}`), "company.missing_since is not null"];
    this.upsert = sqlite.prepare(`
      insert into company (orgnr, ${cols.join(", ")}, source, seen_import_id, created_at, updated_at)
      values (@orgnr, ${values.join(", ")}, '${o.format}', ${o.importId}, @now, @now)
      on conflict (orgnr) do update set ${sets.join(", ")}, seen_import_id = ${o.importId}, missing_since = null, updated_at = @now
      where ${changed.join(" or ")}
      returning rowid`);
    this.touch = sqlite.prepare(`update company set seen_import_id = ${o.importId} where orgnr = ?`);
    this.existing = sqlite.prepare("select c.orgnr, c.status from json_each(?) j join company c on c.orgnr = j.value");
    this.reject = sqlite.prepare("insert or ignore into company_import_reject (import_id, line, reason) values (?, ?, ?)");
    this.pause = sqlite.prepare("insert or ignore into company_fts_pause (id) values (1)");
    this.resume = sqlite.prepare("delete from company_fts_pause");
    this.unindex = sqlite.prepare("delete from company_fts where rowid in (select value from json_each(?))");
    // The same values as the company_fts triggers in migrations/0004_leads.sql.
    this.index = sqlite.prepare(`
      insert into company_fts (rowid, name, description, town, municipality, sni, tags)
      select rowid, name || coalesce(' ' || alt_names, ''), description, town, municipality,
        replace(replace(replace(replace(sni_codes, '[', ''), ']', ''), '"', ''), ',', ' '),
        'status' || status || case when reklamsparr = 1 then ' reklamsparr' else '' end
          || case when missing_since is not null then ' missing' else '' end
          || coalesce(' form' || lower(legal_form), '')
      from company where rowid in (select value from json_each(?))`);
  }

  /** Writes one batch in one IMMEDIATE transaction. */
  load(rows: readonly LoadedRow[], rejects: readonly RejectedRow[]): BatchCounts {
    const run = this.sqlite.transaction(() => {
      const counts: BatchCounts = { imported: 0, updated: 0, unchanged: 0, deregistered: 0 };
      const before = new Map<string, string>();
      for (const r of this.existing.all(JSON.stringify(rows.map((row) => row.record.orgnr))) as Array<{ orgnr: string; status: string }>)
        before.set(r.orgnr, r.status);
      const inserted: number[] = [];
      const changedRows: number[] = [];
      this.pause.run();
      for (const { record } of rows) {
        const params: Record<string, string | number | null> = { orgnr: record.orgnr, now: this.now };
        for (const c of this.columns) params[c] = columnValue(record, c);
        const written = this.upsert.get(params) as { rowid: number } | undefined;
        const previous = before.get(record.orgnr);
        if (previous === undefined) {
          counts.imported++;
          if (written) inserted.push(written.rowid);
        } else if (written) {
          counts.updated++;
          changedRows.push(written.rowid);
        } else {
          counts.unchanged++;
          this.touch.run(record.orgnr);
        }
        if (record.status === "deregistered" && previous !== "deregistered") counts.deregistered++;
        before.set(record.orgnr, record.status ?? previous ?? "active");
      }
      if (changedRows.length > 0) this.unindex.run(JSON.stringify(changedRows));
      const toIndex = [...new Set([...inserted, ...changedRows])];
      if (toIndex.length > 0) this.index.run(JSON.stringify(toIndex));
      this.resume.run();
      for (const r of rejects) {
        if (this.storedRejects >= MAX_STORED_REJECTS) break;
        this.reject.run(this.importId, r.line, r.reason);
        this.storedRejects++;
      }
      return counts;
    });
    return run.immediate();
  }
}

/**
 * Merges the full-text index into one segment, like FTS5's 'optimize' but in steps of a few
 * thousand pages, each its own transaction, so a worker waiting for the write lock never
 * waits long (an 'optimize' of the whole register holds it for seconds). After a large import
 * the index is many small segments (and, for updated rows, deleted entries), which makes
 * searches ten times slower until merged.
 */
export function optimizeIndex(sqlite: BetterSqlite3.Database, pagesPerStep = 2000): number {
  const step = sqlite.prepare("insert into company_fts (company_fts, rank) values ('merge', ?)");
  const changes = sqlite.prepare("select total_changes()").pluck();
  let steps = 0;
  for (;;) {
    const before = changes.get() as number;
    sqlite.transaction(() => step.run(-pagesPerStep)).immediate();
    steps++;
    if ((changes.get() as number) - before < 2) return steps; // nothing left to merge
  }
}
