/**
 * Legal forms. Bolagsverket writes its own short codes (AB, HB, KB, E, EF, BRF, ...); SCB writes
 * a 2-digit "juridisk form" code. Both are stored as Bolagsverket-style codes.
 */
const SCB_JURFORM: Readonly<Record<string, string>> = {
  "10": "E", // fysiska personer (enskild näringsidkare)
  "21": "EB", // enkla bolag
  "22": "PR", // partrederier
  "31": "HB",
  "32": "KB",
  "41": "BAB", // bankaktiebolag
  "42": "FAB", // försäkringsaktiebolag
  "43": "EUAB", // europabolag
  "49": "AB", // övriga aktiebolag
  "51": "EF", // ekonomiska föreningar
  "53": "BRF",
  "54": "KHF", // kooperativa hyresrättsföreningar
  "61": "IF", // ideella föreningar
  "62": "SF", // samfälligheter
  "63": "TRS", // registrerade trossamfund
  "71": "FAS", // familjestiftelser
  "72": "S", // övriga stiftelser
  "81": "STAT",
  "82": "KOMMUN",
  "83": "KF", // kommunalförbund
  "84": "REGION",
  "91": "DB", // oskiftade dödsbon
  "92": "OFB", // ömsesidiga försäkringsbolag
  "93": "SPB", // sparbanker
  "96": "UTL", // utländska juridiska personer
};

const NAMES: Readonly<Record<string, string>> = {
  AB: "Aktiebolag",
  BAB: "Bankaktiebolag",
  FAB: "Försäkringsaktiebolag",
  EUAB: "Europabolag",
  HB: "Handelsbolag",
  KB: "Kommanditbolag",
  E: "Enskild näringsidkare",
  EB: "Enkelt bolag",
  EF: "Ekonomisk förening",
  BRF: "Bostadsrättsförening",
  KHF: "Kooperativ hyresrättsförening",
  IF: "Ideell förening",
  S: "Stiftelse",
  FAS: "Familjestiftelse",
  SF: "Samfällighet",
  TRS: "Registrerat trossamfund",
  FL: "Filial",
  DB: "Dödsbo",
  SPB: "Sparbank",
  OFB: "Ömsesidigt försäkringsbolag",
  UTL: "Utländsk juridisk person",
};

/** SCB's 2-digit juridisk form -> our code; unknown codes are kept as JF<code>. */
export function legalFormFromScb(code: string | undefined): string | null {
  const c = code?.trim();
  if (!c) return null;
  return SCB_JURFORM[c] ?? `JF${c}`;
}

/** "AB-ORGFO" -> "AB" */
export function legalFormFromBolagsverket(value: string | undefined): string | null {
  const c = value?.split(/[-$]/)[0]?.trim().toUpperCase();
  return c ? c : null;
}

/** A user's --legal-form: "ab", "Aktiebolag" -> "AB". */
export function normaliseLegalForm(input: string): string | null {
  const t = input.trim();
  const upper = t.toUpperCase();
  if (Object.hasOwn(NAMES, upper) || /^[A-Z]{1,5}$/.test(upper)) return upper;
  const byName = Object.entries(NAMES).find(([, name]) => name.toLowerCase() === t.toLowerCase());
  if (byName) return byName[0];
  if (/^\d{2}$/.test(t)) return legalFormFromScb(t);
  return null;
}

export function legalFormName(code: string | null | undefined): string | null {
  if (!code) return null;
  return NAMES[code] ?? code;
}
