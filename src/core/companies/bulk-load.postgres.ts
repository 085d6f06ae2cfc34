// The PostgreSQL-specific bulk path of `companies import`: each batch is COPYed into a temporary
// staging table, then merged into `company` by a few set-based statements in one transaction
// that holds the write lock (as SQLite's IMMEDIATE batch does). The search vector is kept by the
// table's trigger in the same row version (company_search_vector in migrations/postgres/0017).
// Counts, merge rules and rejects are those of bulk-load.sqlite.ts.
//
// Into an empty register (the first import) the whole import is one transaction instead: the GIN
// indexes of the search vector are dropped at its start and built once at its end, which is
// several times cheaper than growing them row by row. Being one transaction, a failed or killed
// import rolls back to the empty table with its indexes, so `company` is never left without them.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ADVISORY_LOCK } from "../db/dialect.ts";
import type { ImportFormat } from "./schema.ts";
import { MAX_STORED_REJECTS, type BatchCounts, type LoadedRow, type RejectedRow } from "./bulk-load.ts";
import { columnValue, type CompanyColumn } from "./record.ts";

const COLUMN_TYPES: Record<CompanyColumn, string> = {
  name: "text",
  alt_names: "text",
  legal_form: "text",
  status: "text",
  street: "text",
  co_address: "text",
  postcode: "text",
  town: "text",
  municipality: "text",
  sni_codes: "jsonb",
  description: "text",
  website: "text",
  revenue_tkr: "integer",
  employees: "integer",
  reklamsparr: "smallint",
  registered_on: "date",
  deregistered_on: "date",
};

/** As mergeExpr in bulk-load.sqlite.ts: the file's value `s.col` against the stored `c.col`. */
function mergeExpr(format: ImportFormat, column: CompanyColumn): string {
  const p = `s.${column}`;
  const cur = `c.${column}`;
  if (column === "status") {
    if (format === "scb") return `case when ${cur} in ('active', 'inactive') then coalesce(${p}, ${cur}) else ${cur} end`;
    if (format === "bolagsverket") return `case when ${p} = 'active' and ${cur} = 'inactive' then ${cur} else coalesce(${p}, ${cur}) end`;
  }
  if (format === "csv" || column === "name" || column === "status" || column === "sni_codes" || column === "reklamsparr")
    return `coalesce(${p}, ${cur})`;
  return p;
}

const INSERT_DEFAULTS: Partial<Record<CompanyColumn, string>> = { status: "'active'", sni_codes: "'[]'", reklamsparr: "0" };

/** The stage's columns of a new row's search words, with their fields' letters (null: left to the database). */
const WORD_COLUMNS = ["name_words", "place_words", "description_words"] as const;

/** company_search_fold's letters (migrations/postgres/0004_leads.sql) and the Swedish ones before it. */
const FOLD_FROM =
  "åäöÅÄÖéÉüÜÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳØøŁłĐđ";
const FOLD_TO =
  "aaoAAOeEuUAAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzsOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyOoLlDd";
const FOLD = new Map<string, string>();
for (let i = FOLD_FROM.length - 1; i >= 0; i--) FOLD.set(FOLD_FROM[i] as string, FOLD_TO[i] as string); // translate(): the first wins

/**
 * company_search_words(t) of the migration, made here when `t` has nothing but printable ASCII,
 * newlines and the letters it folds (all letters, so [:alnum:] in the database's regex): the
 * same text, by the same steps; null for anything else, which the database then folds itself.
 */
export function searchWords(t: string | null): string | null {
  if (t === null) return null;
  let out = "";
  for (const ch of t) {
    const code = ch.charCodeAt(0);
    if ((code >= 0x20 && code < 0x7f) || ch === "\n") out += ch;
    else {
      const to = FOLD.get(ch);
      if (to === undefined) return null;
      out += to;
    }
  }
  return out.replace(/[^A-Za-z0-9]+/g, " ").toLowerCase();
}

/**
 * company_search_field(field, company_search_words(t)) of migrations/postgres/0017, space-separated,
 * made here when searchWords could: words of nothing but a-z and 0-9, which to_tsvector('simple')
 * takes as they are (null: left to the database).
 */
export function fieldWords(field: string, t: string | null): string | null {
  const words = searchWords(t)?.trim();
  if (words === undefined || words === "") return words ?? null;
  // One blank between words (searchWords), repeats left to array_to_tsvector.
  const prefixed = field + words.replaceAll(" ", ` ${field}`);
  return /[a-z0-9]{2046}/.test(words)
    ? prefixed
        .split(" ")
        .filter((w) => w.length <= 2046)
        .join(" ")
    : prefixed;
}

/** A value in COPY's text format. */
function copyValue(v: string | number | null): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

export class CompanyBulkLoader {
  private readonly pool: pg.Pool;
  private readonly columns: readonly CompanyColumn[];
  private readonly importId: number;
  private readonly now: string;
  private readonly createStage: string;
  private readonly copy: string;
  private readonly update: string;
  private readonly touch: string;
  private readonly insert: string;
  private storedRejects = 0;
  /** The first import's one transaction (null: a transaction per batch). */
  private single: pg.PoolClient | null = null;
  /** The dropped indexes' definitions, built again when the first import finishes. */
  private dropped: string[] = [];

  constructor(pool: pg.Pool, o: { importId: number; format: ImportFormat; columns: readonly CompanyColumn[]; now: string }) {
    this.pool = pool;
    this.columns = o.columns;
    this.importId = o.importId;
    this.now = o.now;
    const cols = this.columns;
    const id = Number(o.importId);
    // (`if not exists`: the first import's one transaction keeps the stage from batch to batch.)
    this.createStage = `create temp table if not exists company_stage (orgnr text not null, ${cols.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(", ")},
      ${WORD_COLUMNS.map((c) => `${c} text`).join(", ")}) on commit drop`;
    this.copy = `copy company_stage (orgnr, ${[...cols, ...WORD_COLUMNS].join(", ")}) from stdin`;
    const changed = [...cols.map((c) => `c.${c} is distinct from ${mergeExpr(o.format, c)}`), "c.missing_since is not null"];
    this.update = `
      update company c set ${cols.map((c) => `${c} = ${mergeExpr(o.format, c)}`).join(", ")},
        seen_import_id = ${id}, missing_since = null, updated_at = $1
      from company_stage s
      where c.orgnr = s.orgnr and (${changed.join(" or ")})
      returning c.orgnr`;
    this.touch = `
      update company c set seen_import_id = ${id}
      from company_stage s where c.orgnr = s.orgnr and c.seen_import_id is distinct from ${id}`;
    const values = cols.map((c) => (INSERT_DEFAULTS[c] ? `coalesce(s.${c}, ${INSERT_DEFAULTS[c]})` : `s.${c}`));
    // The new row's value of a column (its default when the file has no such column).
    const v = (c: CompanyColumn) =>
      cols.includes(c) ? (INSERT_DEFAULTS[c] ? `coalesce(s.${c}, ${INSERT_DEFAULTS[c]})` : `s.${c}`) : (INSERT_DEFAULTS[c] ?? "null::text");
    // company_search_vector of the new row, with the words made by fieldWords where it could
    // (else by company_search_field, as the trigger would), while the trigger is paused.
    const field = (column: string, letter: string, text: string) =>
      `coalesce(string_to_array(s.${column}, ' '), company_search_field('${letter}', company_search_words(${text})))`;
    const search = `
        array_to_tsvector(
          ${field("name_words", "a", `${v("name")} || coalesce(' ' || ${v("alt_names")}, '')`)}
          || ${field("place_words", "b", `coalesce(${v("town")}, '') || ' ' || coalesce(${v("municipality")}, '')`)}
          || ${field("description_words", "c", v("description"))}
          || company_search_field('d',
               translate((${v("sni_codes")})::jsonb::text, '[]",', '    ') || ' '
               || 'status' || ${v("status")} || case when ${v("reklamsparr")} = 1 then ' reklamsparr' else '' end
               || coalesce(' form' || company_search_words(${v("legal_form")}), '')))`;
    this.insert = `
      insert into company (orgnr, ${cols.join(", ")}, source, seen_import_id, created_at, updated_at, search)
      select s.orgnr, ${values.join(", ")}, '${o.format}', ${id}, $1, $1, ${search}
      from company_stage s
      where not exists (select 1 from company c where c.orgnr = s.orgnr)
      on conflict (orgnr) do nothing`;
  }

  /**
   * Before the first batch: when `company` is empty, opens the import's one transaction, which
   * holds the table's exclusive lock (other connections wait for the import rather than see a
   * half-built register) and drops the search vector's GIN indexes. Returns whether it did.
   */
  async start(): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query("begin");
      // Share row exclusive: no one writes companies while this looks (a second import waits here
      // until the first commits), readers go on; dropping the indexes takes the exclusive lock.
      await client.query("lock table company in share row exclusive mode");
      const empty = await client.query<{ empty: boolean }>("select not exists (select 1 from company) as empty");
      if (!empty.rows[0]?.empty) {
        await client.query("rollback");
        client.release();
        return false;
      }
      const gin = await client.query<{ name: string; def: string }>(
        `select indexname as name, indexdef as def from pg_indexes
         where schemaname = current_schema() and tablename = 'company' and indexdef like '% USING gin %'`,
      );
      for (const { name } of gin.rows) await client.query(`drop index ${client.escapeIdentifier(name)}`);
      this.dropped = gin.rows.map((r) => r.def);
      // The insert writes the search vector itself. (The per-batch pause row would pile up dead
      // row versions in one transaction, which the insert trigger of every row would scan.) The
      // word list is filled once at the end, from the whole table.
      await client.query("alter table company disable trigger company_search_insert");
      await client.query("alter table company disable trigger company_search_lexicon_insert");
      this.single = client;
      return true;
    } catch (e) {
      await client.query("rollback").catch(() => undefined);
      client.release();
      throw e;
    }
  }

  /** After the last batch: builds the dropped indexes and commits the first import's transaction. */
  async finish(): Promise<void> {
    const client = this.single;
    if (!client) return;
    this.single = null;
    try {
      await client.query("alter table company enable trigger company_search_insert");
      await client.query("alter table company enable trigger company_search_lexicon_insert");
      await client.query(
        "insert into company_search_lexicon select distinct w from company, unnest(tsvector_to_array(search)) w on conflict do nothing",
      );
      // A GIN build collects its entries in memory: with the default 64 MB it flushes them often.
      await client.query("set local maintenance_work_mem = '256MB'");
      for (const def of this.dropped) await client.query(def);
      await client.query("commit");
    } catch (e) {
      await client.query("rollback").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** After a failure: rolls the first import's transaction back (the table empty, its indexes back). */
  async abort(): Promise<void> {
    const client = this.single;
    if (!client) return;
    this.single = null;
    await client.query("rollback").catch(() => undefined);
    client.release();
  }

  /** Writes one batch in one transaction under the write lock (in the first import's transaction: in that). */
  async load(rows: readonly LoadedRow[], rejects: readonly RejectedRow[]): Promise<BatchCounts> {
    if (this.single) return this.loadInTx(this.single, rows, rejects);
    const client = await this.pool.connect();
    try {
      await client.query("begin");
      try {
        const counts = await this.loadInTx(client, rows, rejects);
        await client.query("commit");
        return counts;
      } catch (e) {
        await client.query("rollback").catch(() => undefined);
        throw e;
      }
    } finally {
      client.release();
    }
  }

  private async loadInTx(client: pg.PoolClient, rows: readonly LoadedRow[], rejects: readonly RejectedRow[]): Promise<BatchCounts> {
    // (The first import's transaction holds the table's lock, which every writer of `company` waits for.)
    if (!this.single) await client.query("select pg_advisory_xact_lock($1)", [ADVISORY_LOCK.write]);
    // A batch meets the register through its primary key: a few thousand index probes. Left to
    // itself the planner hashes the whole of `company` for every batch (quadratic over an import).
    await client.query("set local enable_hashjoin = off");
    await client.query("set local enable_mergejoin = off");
    const counts: BatchCounts = { imported: 0, updated: 0, unchanged: 0, deregistered: 0 };
    if (rows.length > 0) {
      const before = new Map<string, string>();
      const existing = await client.query<{ orgnr: string; status: string }>(
        "select orgnr, status from company where orgnr = any($1::text[])",
        [[...new Set(rows.map((r) => r.record.orgnr))]],
      );
      for (const r of existing.rows) before.set(r.orgnr, r.status);
      await client.query(this.createStage);
      // A file may have a company twice: each round has an orgnr once, later lines in later
      // rounds, so a later line merges into an earlier one as it does row by row on SQLite.
      for (const round of rounds(rows)) {
        await pipeline(Readable.from([this.copyText(round)]), client.query(copyFrom(this.copy)));
        const written = new Set((await client.query<{ orgnr: string }>(this.update, [this.now])).rows.map((r) => r.orgnr));
        await client.query(this.touch);
        if (!this.single) await client.query("insert into company_fts_pause (id) values (1) on conflict do nothing");
        await client.query(this.insert, [this.now]);
        if (!this.single) await client.query("delete from company_fts_pause");
        await client.query("truncate company_stage");
        for (const { record } of round) {
          const previous = before.get(record.orgnr);
          if (previous === undefined) counts.imported++;
          else if (written.has(record.orgnr)) counts.updated++;
          else counts.unchanged++;
          if (record.status === "deregistered" && previous !== "deregistered") counts.deregistered++;
          before.set(record.orgnr, record.status ?? previous ?? "active");
        }
      }
    }
    const stored = rejects.slice(0, Math.max(0, MAX_STORED_REJECTS - this.storedRejects));
    if (stored.length > 0) {
      await client.query(
        `insert into company_import_reject (import_id, line, reason)
         select $1, line, reason from unnest($2::int[], $3::text[]) as r (line, reason) on conflict do nothing`,
        [this.importId, stored.map((r) => r.line), stored.map((r) => r.reason)],
      );
      this.storedRejects += stored.length;
    }
    return counts;
  }

  private copyText(rows: readonly LoadedRow[]): string {
    const lines: string[] = [];
    for (const { record } of rows) {
      const fields = [copyValue(record.orgnr)];
      for (const c of this.columns) fields.push(copyValue(columnValue(record, c)));
      const text = (c: CompanyColumn) => (this.columns.includes(c) ? (columnValue(record, c) as string | null) : null);
      const name = text("name");
      const alt = text("alt_names");
      fields.push(
        copyValue(name === null ? null : fieldWords("a", name + (alt === null ? "" : ` ${alt}`))),
        copyValue(fieldWords("b", `${text("town") ?? ""} ${text("municipality") ?? ""}`)),
        copyValue(fieldWords("c", text("description"))),
      );
      lines.push(fields.join("\t"));
    }
    return `${lines.join("\n")}\n`;
  }
}

/** The rows split so that no orgnr is twice in one round, in line order within each. */
function rounds(rows: readonly LoadedRow[]): LoadedRow[][] {
  const out: LoadedRow[][] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const n = seen.get(row.record.orgnr) ?? 0;
    seen.set(row.record.orgnr, n + 1);
    (out[n] ??= []).push(row);
  }
  return out;
}

/**
 * After a large import: fresh planner statistics for `company`, so searches pick the GIN index
 * or the primary key well (PostgreSQL's counterpart of merging the FTS5 index).
 */
export async function optimizeIndex(pool: pg.Pool): Promise<void> {
  await pool.query("analyze company");
}
