import { parse as parseCsv } from "csv-parse/sync";
import { COMPANY_STATUSES, type CompanyStatus } from "../schema.ts";
import { checkOrgnr } from "../../domain/orgnr.ts";
import { UsageError } from "../../errors.ts";
import { normaliseLegalForm } from "../legal-forms.ts";
import { municipalityFor } from "../municipalities.ts";
import type { CompanyRecord, ParsedRow } from "../record.ts";
import { cleanSniCodes, cleanText, normaliseDate, normalisePostcode } from "../text.ts";

/**
 * A plain CSV of companies: a header row naming the columns (any order, case-insensitive),
 * `,` or `;` (or tab) between fields, RFC 4180 quoting (fields may hold the delimiter, `""`
 * and line breaks). `orgnr` and `name` are required; an empty cell leaves the stored value as
 * it is. The README documents the columns; this table is the definition.
 */
export const CSV_COLUMNS = {
  orgnr: ["organisationsnummer", "org_nr"],
  name: ["namn", "company"],
  legal_form: ["bolagsform"],
  status: [],
  street: ["address", "gatuadress"],
  co_address: ["coadress"],
  postcode: ["postnummer", "postnr", "zip"],
  town: ["postort", "ort", "city"],
  municipality: ["kommun"],
  sni: ["sni_codes", "sni_code"],
  description: ["verksamhetsbeskrivning", "beskrivning"],
  website: ["webbplats", "url", "hemsida"],
  revenue_tkr: ["omsattning_tkr"],
  employees: ["anstallda"],
  reklamsparr: [],
  registered_on: ["registreringsdatum"],
  deregistered_on: ["avregistreringsdatum"],
} as const satisfies Record<string, readonly string[]>;

export type CsvColumn = keyof typeof CSV_COLUMNS;

export interface CsvLayout {
  delimiter: string;
  /** Column name -> index in a row. */
  columns: Partial<Record<CsvColumn, number>>;
}

const ALIASES = new Map<string, CsvColumn>(
  (Object.entries(CSV_COLUMNS) as Array<[CsvColumn, readonly string[]]>).flatMap(([col, aliases]) => [
    [col, col] as const,
    ...aliases.map((a) => [a, col] as const),
  ]),
);

/** The delimiter of a header line: the one that yields an orgnr column. */
export function csvDelimiter(header: string): string | null {
  for (const d of [",", ";", "\t"]) {
    const names = splitCsvRecord(header.replace(/^\uFEFF/, ""), d);
    if (names.complete && !names.error && names.fields.some((n) => ALIASES.get(normaliseHeader(n)) === "orgnr")) return d;
  }
  return null;
}

/** Maps the header to columns; unknown or missing required columns are a usage error (nothing is written). */
export function csvLayout(header: string, delimiter: string): CsvLayout {
  const names = splitCsvRecord(header.replace(/^\uFEFF/, ""), delimiter).fields;
  const columns: Partial<Record<CsvColumn, number>> = {};
  const unknown: string[] = [];
  names.forEach((raw, i) => {
    const col = ALIASES.get(normaliseHeader(raw));
    if (!col) unknown.push(raw);
    else if (columns[col] !== undefined) throw new UsageError(`the CSV header names column "${col}" twice`);
    else columns[col] = i;
  });
  if (unknown.length > 0) {
    throw new UsageError(`unknown CSV column(s): ${unknown.map((u) => `"${u}"`).join(", ")}`, {
      hint: `known: ${Object.keys(CSV_COLUMNS).join(", ")}`,
    });
  }
  if (columns.name === undefined) throw new UsageError('the CSV header has no "name" column');
  return { delimiter, columns };
}

function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_")
    .replace(/[åä]/g, "a")
    .replace(/ö/g, "o");
}

/**
 * Splits one CSV record with csv-parse (RFC 4180; blanks around a quoted field are trimmed, so
 * `1, "Bolaget, AB",Lund` has three fields). `complete` is false when a quoted field is still
 * open at the end of the text: the caller appends the next line (with its line break) and
 * splits again. `error` says why a record cannot be read (a quote inside an unquoted field…).
 */
export function splitCsvRecord(text: string, delimiter: string): { fields: string[]; complete: boolean; error?: string } {
  try {
    const records = parseCsv(text, {
      delimiter,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as string[][];
    if (records.length > 1) return { fields: records.flat(), complete: true, error: "more than one record on the line" };
    return { fields: records[0] ?? [""], complete: true };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === "CSV_QUOTE_NOT_CLOSED") return { fields: [], complete: false };
    return { fields: [], complete: true, error: err.message.replace(/\s*at line \d+$/, "") };
  }
}

/** Above any Swedish company (and within the columns' 32-bit integers): a larger figure is a typo or garbage. */
const MAX_REVENUE_TKR = 2_000_000_000;
const MAX_EMPLOYEES = 1_000_000;
const TRUE = /^(1|ja|j|yes|y|true|x)$/i;
const FALSE = /^(0|nej|n|no|false|)$/i;

/** One data row -> a company, or the reason it is rejected. */
export function parseCsvFields(f: string[], layout: CsvLayout): ParsedRow {
  const get = (col: CsvColumn): string | null => {
    const i = layout.columns[col];
    return i === undefined ? null : cleanText(f[i]);
  };
  const has = (col: CsvColumn) => layout.columns[col] !== undefined;
  const rawOrgnr = get("orgnr") ?? "";
  const id = checkOrgnr(rawOrgnr);
  if (!id.ok) return { kind: "reject", reason: rawOrgnr === "" ? "no organisationsnummer" : `invalid organisationsnummer: ${id.reason}` };
  const name = get("name");
  if (!name) return { kind: "reject", reason: "no company name" };
  const r: CompanyRecord = { orgnr: id.orgnr, name };

  const text = (col: CsvColumn, key: "street" | "coAddress" | "description" | "municipality" | "town") => {
    if (has(col)) {
      const v = get(col);
      if (v !== null) r[key] = v;
    }
  };
  text("street", "street");
  text("co_address", "coAddress");
  text("description", "description");
  text("town", "town");
  text("municipality", "municipality");
  if (r.town && !has("municipality")) {
    const m = municipalityFor(r.town);
    if (m) r.municipality = m;
  }

  const legal = get("legal_form");
  if (legal !== null) {
    const code = normaliseLegalForm(legal);
    if (!code) return { kind: "reject", reason: `unknown legal form "${legal}"` };
    r.legalForm = code;
  }
  const status = get("status");
  if (status !== null) {
    const s = status.toLowerCase();
    if (!(COMPANY_STATUSES as readonly string[]).includes(s))
      return { kind: "reject", reason: `unknown status "${status}" (expected ${COMPANY_STATUSES.join(", ")})` };
    r.status = s as CompanyStatus;
  }
  const postcode = get("postcode");
  if (postcode !== null) {
    const p = normalisePostcode(postcode);
    if (!p) return { kind: "reject", reason: `invalid postcode "${postcode}"` };
    r.postcode = p;
  }
  const sni = get("sni");
  if (sni !== null) {
    const parts = sni.split(/[\s|,;/]+/).filter(Boolean);
    const codes = cleanSniCodes(parts);
    if (codes.length !== new Set(parts.map((p) => p.replace(/\./g, ""))).size)
      return { kind: "reject", reason: `invalid SNI code in "${sni}" (2 to 5 digits each)` };
    r.sniCodes = codes;
  }
  const website = get("website");
  if (website !== null) {
    const url = normaliseWebsite(website);
    if (!url) return { kind: "reject", reason: `invalid website "${website}"` };
    r.website = url;
  }
  for (const [col, key, max] of [
    ["revenue_tkr", "revenueTkr", MAX_REVENUE_TKR],
    ["employees", "employees", MAX_EMPLOYEES],
  ] as const) {
    const v = get(col);
    if (v === null) continue;
    // Decimal digits only (spaces between thousands allowed): Number() would also take 0x10, 0b11 and 1e21.
    const digits = v.replace(/\s/g, "");
    const n = /^\d{1,12}$/.test(digits) ? Number(digits) : Number.NaN;
    if (!(n <= max)) return { kind: "reject", reason: `invalid ${col} "${v}" (a whole number from 0 to ${max})` };
    r[key] = n;
  }
  const rs = get("reklamsparr");
  if (rs !== null) {
    if (TRUE.test(rs)) r.reklamsparr = true;
    else if (FALSE.test(rs)) r.reklamsparr = false;
    else return { kind: "reject", reason: `invalid reklamsparr "${rs}" (ja/nej, 1/0)` };
  }
  for (const [col, key] of [
    ["registered_on", "registeredOn"],
    ["deregistered_on", "deregisteredOn"],
  ] as const) {
    const v = get(col);
    if (v === null) continue;
    const d = normaliseDate(v);
    if (!d) return { kind: "reject", reason: `invalid ${col} "${v}" (YYYY-MM-DD)` };
    r[key] = d;
  }
  return { kind: "company", record: r };
}

/** "www.example.se" -> "https://www.example.se"; null when it is not an http(s) URL. */
export function normaliseWebsite(input: string): string | null {
  const t = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(t) ? t : `https://${t}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    if (!u.hostname.includes(".")) return null;
    return u.href.replace(/\/$/, "");
  } catch {
    return null;
  }
}
