import { legalFormFromScb } from "./legal-forms.ts";
import { municipalityFor } from "./municipalities.ts";
import type { CompanyRecord } from "./record.ts";
import { cleanSniCodes, cleanText, normaliseDate, normalisePostcode, titleCase } from "./text.ts";
import type { CompanyStatus } from "./schema.ts";

/** What a lookup of one organisationsnummer gave. */
export type HvdLookup =
  | { found: false }
  /**
   * An answer that cannot be used: not the JSON of `organisationer` (a gateway's HTML page), or
   * about another organisation than the one asked for. Nothing may be written from it.
   */
  | { found: false; unusable: string }
  /**
   * `record` has only the fields whose parts came back; `unavailable` names the parts whose
   * source was down (OTILLGANGLIG_UPPGIFTSKALLA) or timed out (TIMEOUT): left as they were.
   */
  | { found: true; record: CompanyRecord; unavailable: string[] };

interface Part {
  fel?: { typ?: string; felBeskrivning?: string } | null;
  [k: string]: unknown;
}

const OUTAGE = new Set(["OTILLGANGLIG_UPPGIFTSKALLA", "TIMEOUT"]);

/**
 * Reads the `organisationer` answer for one organisationsnummer. Any part may be null or carry
 * a per-part error (`fel`): ORGANISATION_FINNS_EJ on the Bolagsverket parts means the number
 * is unknown; on SCB's parts only, that SCB has no record. Dates come as YYYY-MM-DD or as a
 * full timestamp; the pending-procedure part is accepted under both spellings. An answer that
 * is not that JSON, or that is only about other organisations, is `unusable`.
 */
export function readOrganisation(body: unknown, orgnr: string): HvdLookup {
  const list = (body as { organisationer?: unknown } | null)?.organisationer;
  if (typeof body !== "object" || !Array.isArray(list)) return { found: false, unusable: "unreadable answer" };
  if (list.length === 0) return { found: false };
  // One entry that names no organisation at all is taken as the answer about the one asked for.
  const anonymous = list.length === 1 && idOf(list[0]) === undefined ? list[0] : undefined;
  const org = (list.find((o) => idOf(o) === orgnr) ?? anonymous) as Record<string, Part | null | undefined> | undefined;
  if (!org) {
    const others = list.map(idOf).filter((id) => id !== undefined);
    return { found: false, unusable: `the answer is about another organisation${others.length > 0 ? ` (${others.join(", ")})` : ""}` };
  }
  const unavailable: string[] = [];
  const usable = (key: string): Part | null => {
    const part = org[key];
    if (!part || typeof part !== "object") return null;
    const typ = part.fel?.typ;
    if (typ && OUTAGE.has(typ)) unavailable.push(key);
    return typ ? null : part;
  };
  const namePart = org.organisationsnamn;
  if (namePart?.fel?.typ === "ORGANISATION_FINNS_EJ") return { found: false };

  const r: CompanyRecord = { orgnr };
  const names = usable("organisationsnamn");
  if (names) {
    const entries = ((names.organisationsnamnLista ?? []) as Array<{ namn?: string; organisationsnamntyp?: { kod?: string } }>)
      .map((n) => ({ name: cleanText(n.namn), kind: n.organisationsnamntyp?.kod ?? "" }))
      .filter((n): n is { name: string; kind: string } => n.name !== null);
    const primary = entries.find((n) => n.kind === "FORETAGSNAMN") ?? entries[0];
    if (primary) {
      r.name = primary.name;
      const alt = [...new Set(entries.filter((n) => n !== primary).map((n) => n.name))].filter((n) => n !== primary.name);
      r.altNames = alt.length > 0 ? alt.join(" | ") : null;
    }
  }
  const form = usable("organisationsform");
  const juridisk = usable("juridiskForm");
  if (typeof form?.kod === "string") r.legalForm = form.kod.toUpperCase();
  else if (typeof juridisk?.kod === "string") r.legalForm = legalFormFromScb(juridisk.kod);

  const dates = usable("organisationsdatum");
  if (dates) r.registeredOn = normaliseDate(dates.registreringsdatum as string | undefined);
  const desc = usable("verksamhetsbeskrivning");
  if (desc) r.description = cleanText(desc.beskrivning as string | undefined);
  const sni = usable("naringsgrenOrganisation");
  if (sni) r.sniCodes = cleanSniCodes(((sni.sni ?? []) as Array<{ kod?: string }>).map((s) => s.kod));
  const rs = usable("reklamsparr");
  if (rs && typeof rs.kod === "string") r.reklamsparr = rs.kod === "JA";
  const address = usable("postadressOrganisation");
  const pa = address?.postadress as { utdelningsadress?: string; coAdress?: string; postnummer?: string; postort?: string } | undefined;
  if (pa) {
    const town = cleanText(pa.postort);
    r.street = cleanText(pa.utdelningsadress);
    r.coAddress = cleanText(pa.coAdress);
    r.postcode = normalisePostcode(pa.postnummer);
    r.town = town ? titleCase(town) : null;
    r.municipality = municipalityFor(r.town);
  }

  // Status: deregistered, then a pending bankruptcy or liquidation, then SCB's "active" flag.
  // Only when the parts it rests on came back (a part that is down leaves the status alone).
  const statusParts = [
    "avregistreradOrganisation",
    "pagaendeAvvecklingsEllerOmstruktureringsforfarande",
    "pagandeAvvecklingsEllerOmstruktureringsforfarande",
    "verksamOrganisation",
  ];
  const down = statusParts.some((k) => OUTAGE.has(org[k]?.fel?.typ ?? ""));
  const dereg = usable("avregistreradOrganisation");
  const pendingPart =
    usable("pagaendeAvvecklingsEllerOmstruktureringsforfarande") ?? usable("pagandeAvvecklingsEllerOmstruktureringsforfarande");
  const pending = (
    (pendingPart?.pagaendeAvvecklingsEllerOmstruktureringsforfarandeLista ??
      pendingPart?.pagandeAvvecklingsEllerOmstruktureringsforfarandeLista ??
      []) as Array<{ kod?: string }>
  ).map((p) => p.kod);
  const verksam = usable("verksamOrganisation");
  const deregisteredOn = normaliseDate(dereg?.avregistreringsdatum as string | undefined);
  if (deregisteredOn) {
    r.status = "deregistered";
    r.deregisteredOn = deregisteredOn;
  } else if (!down) {
    const status: CompanyStatus = pending.includes("KK")
      ? "bankruptcy"
      : pending.includes("LI")
        ? "liquidation"
        : verksam?.kod === "NEJ"
          ? "inactive"
          : "active";
    r.status = status;
  }
  return { found: true, record: r, unavailable: [...new Set(unavailable)] };
}

function idOf(o: unknown): string | undefined {
  return (o as { organisationsidentitet?: { identitetsbeteckning?: string } } | null)?.organisationsidentitet?.identitetsbeteckning;
}
