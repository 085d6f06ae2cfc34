import type { CompanyStatus } from "../schema.ts";
import { checkOrgnr } from "../../domain/orgnr.ts";
import { legalFormFromBolagsverket } from "../legal-forms.ts";
import { municipalityFor } from "../municipalities.ts";
import type { ParsedRow } from "../record.ts";
import { cleanText, normaliseDate, normalisePostcode, titleCase } from "../text.ts";

/**
 * Bolagsverket's weekly bulk file (bolagsverket_bulkfil.txt): `;`-separated, every field
 * double-quoted (`""` is a quote), sub-fields separated by `$` and repeated entries by `|`.
 * The real file has stray quotes inside descriptions, so a row is split on the `";"` sequence
 * rather than parsed quote by quote.
 */
export const BOLAGSVERKET_COLUMNS = [
  "organisationsidentitet",
  "namnskyddslopnummer",
  "registreringsland",
  "organisationsnamn",
  "organisationsform",
  "avregistreringsdatum",
  "avregistreringsorsak",
  "pagandeAvvecklingsEllerOmstruktureringsforfarande",
  "registreringsdatum",
  "verksamhetsbeskrivning",
  "postadress",
] as const;

const FIELD_COUNT = BOLAGSVERKET_COLUMNS.length;

export function isBolagsverketHeader(line: string): boolean {
  return /^"?organisationsidentitet"?;/i.test(line.replace(/^\uFEFF/, ""));
}

/** A data row's first field looks like `"5566778899$ORGNR-IDORG"`. */
export function looksLikeBolagsverketRow(line: string): boolean {
  return /^"\d{10,12}\$[A-Z]/.test(line.replace(/^\uFEFF/, ""));
}

export type SplitResult = { fields: string[] } | { incomplete: true } | { error: string };

/** Splits one row; `incomplete` when a quoted field runs on to the next line. */
export function splitBolagsverketRow(text: string): SplitResult {
  if (!text.startsWith('"')) return { error: "the row does not start with a quoted field" };
  if (!text.endsWith('"') || text.length < 2) return { incomplete: true };
  const fields = text.slice(1, -1).split('";"');
  if (fields.length < FIELD_COUNT) return { incomplete: true };
  if (fields.length > FIELD_COUNT) return { error: `${fields.length} fields, expected ${FIELD_COUNT}` };
  return { fields: fields.map((f) => (f.includes('""') ? f.replaceAll('""', '"') : f)) };
}

const PENDING_STATUS: Readonly<Record<string, CompanyStatus>> = { KK: "bankruptcy", LI: "liquidation" };

export function parseBolagsverketFields(f: string[]): ParsedRow {
  const [
    idField = "",
    ,
    ,
    namesField = "",
    formField = "",
    deregField = "",
    ,
    pendingField = "",
    regField = "",
    descField = "",
    addressField = "",
  ] = f;
  const [rawId = "", idType = ""] = idField.split("$");
  if (idType.startsWith("PERSON")) return { kind: "skip", reason: "sole trader (personnummer)" };
  const id = checkOrgnr(rawId);
  if (!id.ok) return { kind: "reject", reason: `invalid organisationsnummer: ${id.reason}` };

  const names = namesField
    .split("|")
    .map((entry) => {
      const [name = "", type = ""] = entry.split("$");
      return { name: cleanText(name), type };
    })
    .filter((n): n is { name: string; type: string } => n.name !== null);
  const primary = names.find((n) => n.type.startsWith("FORETAGSNAMN-")) ?? names[0];
  if (!primary) return { kind: "reject", reason: "no company name" };
  const alt = [...new Set(names.filter((n) => n !== primary).map((n) => n.name))].filter((n) => n !== primary.name);

  const deregisteredOn = normaliseDate(deregField);
  const pending = pendingField
    .split("|")
    .map((e) => e.split(/[-$]/)[0]?.trim() ?? "")
    .filter(Boolean);
  const pendingStatus = pending.map((code) => PENDING_STATUS[code]).find((s) => s !== undefined);
  const status: CompanyStatus = deregisteredOn || deregField.trim() ? "deregistered" : (pendingStatus ?? "active");

  const [street = "", co = "", postTown = "", postcode = ""] = addressField.split("$");
  const town = cleanText(postTown);
  const townName = town ? titleCase(town) : null;
  return {
    kind: "company",
    record: {
      orgnr: id.orgnr,
      name: primary.name,
      altNames: alt.length > 0 ? alt.join(" | ") : null,
      legalForm: legalFormFromBolagsverket(formField),
      status,
      registeredOn: normaliseDate(regField),
      deregisteredOn,
      description: cleanText(descField),
      street: cleanText(street),
      coAddress: cleanText(co),
      postcode: normalisePostcode(postcode),
      town: townName,
      municipality: municipalityFor(townName),
    },
  };
}
