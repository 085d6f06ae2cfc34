import { checkOrgnr } from "../../domain/orgnr.ts";
import { UsageError } from "../../errors.ts";
import { legalFormFromScb } from "../legal-forms.ts";
import { municipalityFor } from "../municipalities.ts";
import type { ParsedRow } from "../record.ts";
import { cleanSniCodes, cleanText, normaliseDate, normalisePostcode, titleCase } from "../text.ts";

/**
 * SCB's bulk file (scb_bulkfil_JE_<time>.txt): tab-separated, ISO-8859-1, a header row.
 * Columns used: PeOrgNr (16 + orgnr, or a personnummer), Foretagsnamn / Namn, COAdress,
 * Gatuadress, PostNr, PostOrt, JurForm (2-digit code), FtgStat (1 active, 0 never active,
 * 9 not active), Ng1..Ng5 (SNI), RegDatKtid (YYYYMMDD), Reklamsparrtyp (2x: opted out of
 * direct marketing). The m* quality flags and the rest are ignored.
 */
export function isScbHeader(line: string): boolean {
  return line.includes("\t") && /(^|\t)PeOrgNr(\t|$)/i.test(line.replace(/^\uFEFF/, ""));
}

export type ScbColumns = Readonly<Record<string, number>>;

export function scbColumns(header: string): ScbColumns {
  const cols: Record<string, number> = {};
  header
    .replace(/^\uFEFF/, "")
    .split("\t")
    .forEach((name, i) => (cols[name.trim().toLowerCase()] = i));
  if (cols.peorgnr === undefined) throw new UsageError("the SCB file has no PeOrgNr column");
  return cols;
}

export function parseScbFields(f: string[], cols: ScbColumns): ParsedRow {
  const get = (name: string): string => {
    const i = cols[name];
    return i === undefined ? "" : (f[i] ?? "").trim();
  };
  const pe = get("peorgnr").replace(/\D/g, "");
  if (pe.length === 12 && (pe.startsWith("19") || pe.startsWith("20"))) return { kind: "skip", reason: "sole trader (personnummer)" };
  const id = checkOrgnr(pe);
  if (!id.ok) return { kind: "reject", reason: `invalid organisationsnummer: ${id.reason}` };
  const name = cleanText(get("foretagsnamn")) ?? cleanText(get("namn"));
  if (!name) return { kind: "reject", reason: "no company name" };
  const town = cleanText(get("postort"));
  const townName = town ? titleCase(town) : null;
  return {
    kind: "company",
    record: {
      orgnr: id.orgnr,
      name,
      legalForm: legalFormFromScb(get("jurform")),
      status: get("ftgstat") === "1" ? "active" : "inactive",
      street: cleanText(get("gatuadress")),
      coAddress: cleanText(get("coadress")),
      postcode: normalisePostcode(get("postnr")),
      town: townName,
      municipality: municipalityFor(townName),
      sniCodes: cleanSniCodes([get("ng1"), get("ng2"), get("ng3"), get("ng4"), get("ng5")]),
      reklamsparr: get("reklamsparrtyp").startsWith("2"),
      registeredOn: normaliseDate(get("regdatktid")),
    },
  };
}
