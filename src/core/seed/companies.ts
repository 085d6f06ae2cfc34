import type { CompanyStatus, CompanyTable } from "../companies/schema.ts";
import { withCheckDigit } from "../domain/orgnr.ts";
import type { Picker } from "./random.ts";
import { LEGAL_FORMS, NAME_WORDS, SECTORS, STREETS, SURNAMES, TOWNS, type Sector } from "./swedish-data.ts";

/** What the seed generates: the register columns (an import or enrichment fills the rest). */
export type SeedCompany = Omit<
  CompanyTable,
  | "created_at"
  | "updated_at"
  | "alt_names"
  | "co_address"
  | "seen_import_id"
  | "missing_since"
  | "enriched_at"
  | "financial_year_start"
  | "financial_year_end"
  | "reports_checked_at"
> & { sector: Sector };

const STATUS_WEIGHTS: ReadonlyArray<readonly [CompanyStatus, number]> = [
  ["active", 92],
  ["inactive", 3],
  ["liquidation", 2],
  ["bankruptcy", 1],
  ["deregistered", 2],
];

/** Generates `count` distinct, plausible companies; the same picker state gives the same companies. */
export function generateCompanies(p: Picker, count: number): SeedCompany[] {
  const seenOrgnr = new Set<string>();
  const seenName = new Set<string>();
  const out: SeedCompany[] = [];
  const townWeights = TOWNS.map((t) => [t, t.weight] as const);
  const sectorWeights = SECTORS.map((s) => [s, s.weight] as const);
  while (out.length < count) {
    const form = p.weighted(LEGAL_FORMS);
    const sector = p.weighted(sectorWeights);
    const town = p.weighted(townWeights);
    const orgnr = withCheckDigit(form.group + p.digits(1) + String(p.int(2, 9)) + p.digits(6));
    let name = companyName(p, sector, town.town, form.suffix);
    if (seenName.has(name)) name = `${name.slice(0, -form.suffix.length - 1)} i ${town.town} ${form.suffix}`;
    if (seenOrgnr.has(orgnr) || seenName.has(name)) continue;
    seenOrgnr.add(orgnr);
    seenName.add(name);

    const status = p.weighted(STATUS_WEIGHTS);
    const registeredYear = p.int(1952, 2025);
    const employees = Math.max(1, Math.round(Math.exp(p.random() * 6)));
    const hasSite = status === "active" && p.chance(sector.ecommerce ? 0.92 : 0.6);
    out.push({
      orgnr,
      name,
      legal_form: form.code,
      status,
      street: `${p.pick(STREETS)} ${p.int(1, 80)}`,
      postcode: `${p.int(town.postcodes[0], town.postcodes[1])} ${String(p.int(0, 99)).padStart(2, "0")}`,
      town: town.town,
      municipality: town.municipality,
      sni_codes: JSON.stringify(p.chance(0.3) ? [sector.sni, p.pick(SECTORS).sni].filter((v, i, a) => a.indexOf(v) === i) : [sector.sni]),
      description: sector.description,
      // Reserved names only (RFC 2606): demo data must never send leadjobs to a real business's site.
      website: hasSite ? `https://www.${slug(name.slice(0, -form.suffix.length - 1))}.example` : null,
      revenue_tkr: p.chance(0.85) ? Math.round(employees * p.int(600, 2500)) : null,
      employees,
      reklamsparr: p.chance(0.04) ? 1 : 0,
      registered_on: `${registeredYear}-${String(p.int(1, 12)).padStart(2, "0")}-${String(p.int(1, 28)).padStart(2, "0")}`,
      deregistered_on:
        status === "deregistered" ? `${p.int(Math.max(registeredYear + 1, 2015), 2026)}-${String(p.int(1, 12)).padStart(2, "0")}-15` : null,
      source: "seed",
      sector,
    });
  }
  return out;
}

function companyName(p: Picker, sector: Sector, town: string, suffix: string): string {
  const style = p.int(0, 3);
  const base =
    style === 0
      ? `${p.pick(SURNAMES)}s ${sector.word}`
      : style === 1
        ? `${p.pick(NAME_WORDS)}${sector.word.toLowerCase().startsWith("lager") ? ` ${sector.word}` : sector.word.toLowerCase()}`
        : style === 2
          ? `${town} ${sector.word}`
          : `${p.pick(SURNAMES)} & ${p.pick(SURNAMES)} ${sector.word}`;
  return `${base} ${suffix}`;
}

/** "Sjöbergs Möbler" -> "sjobergsmobler" */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[åä]/g, "a")
    .replace(/ö/g, "o")
    .replace(/é/g, "e")
    .replace(/&/g, "och")
    .replace(/[^a-z0-9]+/g, "");
}
