// Lines of Bolagsverket's bulk file for import tests.
import { luhnCheckDigit } from "../../src/core/domain/luhn.ts";

export const BOLAGSVERKET_HEADER =
  "organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress";

/** A valid organisationsnummer (Luhn, third digit >= 2): `55`, then `base + i` in seven digits, then the check digit. */
export function runningOrgnr(base: number, i: number): string {
  const body = `55${base + i}`;
  return `${body}${luhnCheckDigit(body)}`;
}
