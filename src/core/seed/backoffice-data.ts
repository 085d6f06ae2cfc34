/** Word lists for the back-office demo data: three seller tenants and what they sell. */

export interface TenantSpec {
  slug: string;
  name: string;
  town: string;
  postcode: string;
  street: string;
  /** Line templates: description, unit, unit price in öre, VAT category. */
  work: ReadonlyArray<readonly [string, string, number, string]>;
  material: ReadonlyArray<readonly [string, string, number, string]>;
  projectWords: readonly string[];
  giro: "bankgiro" | "plusgiro" | "both";
  ocrLengthDigit: boolean;
  /** Sells construction services to builders: reverse charge. */
  construction: boolean;
}

export const TENANTS: readonly TenantSpec[] = [
  {
    slug: "ekbacken-bygg",
    name: "Ekbacken Bygg & Måleri AB",
    town: "Stockholm",
    postcode: "118 46",
    street: "Åsögatan 112",
    work: [
      ["Snickeriarbete", "tim", 64_500, "standard"],
      ["Målning och spackling", "tim", 59_500, "standard"],
      ["Projektledning", "tim", 89_000, "standard"],
      ["Rivning och bortforsling", "tim", 55_000, "standard"],
    ],
    material: [
      ["Gipsskivor 13 mm", "st", 11_990, "standard"],
      ["Målarfärg väggfärg 10 l", "st", 89_900, "standard"],
      ["Reglar 45×95, löpmeter", "m", 2_450, "standard"],
      ["Container 10 m³", "st", 395_000, "standard"],
    ],
    projectWords: ["Köksrenovering", "Badrum", "Fasadmålning", "Takbyte", "Tillbyggnad", "Trapphus", "Kontorsombyggnad"],
    giro: "bankgiro",
    ocrLengthDigit: true,
    construction: true,
  },
  {
    slug: "nordlicht",
    name: "Nordlicht Konsult AB",
    town: "Göteborg",
    postcode: "411 04",
    street: "Östra Hamngatan 17",
    work: [
      ["Systemutveckling", "tim", 112_500, "standard"],
      ["Arkitektur och rådgivning", "tim", 135_000, "standard"],
      ["Test och kvalitetssäkring", "tim", 95_000, "standard"],
      ["Utbildning, halvdag", "st", 1_450_000, "standard"],
    ],
    material: [
      ["Licens, årsabonnemang", "st", 249_000, "standard"],
      ["Facklitteratur", "st", 54_900, "reduced"],
      ["Molntjänst, månad", "st", 187_550, "standard"],
    ],
    projectWords: ["Kundportal", "Integrationsplattform", "Lagersystem", "Webbshop", "Dataplattform", "Säkerhetsgranskning", "Appen"],
    giro: "both",
    ocrLengthDigit: false,
    construction: false,
  },
  {
    slug: "smakverket",
    name: "Smakverket Catering i Malmö AB",
    town: "Malmö",
    postcode: "211 22",
    street: "Södra Förstadsgatan 8",
    work: [
      ["Kock på plats", "tim", 52_000, "standard"],
      ["Servering och disk", "tim", 42_500, "standard"],
      ["Konferenslunch", "st", 13_900, "hospitality"],
    ],
    material: [
      ["Smörgåstårta, 12 bitar", "st", 84_900, "food"],
      ["Kaffebröd, sortiment", "st", 2_450, "food"],
      ["Ekologisk fruktkorg", "st", 34_500, "food"],
      ["Hyra av porslin", "st", 1_990, "standard"],
    ],
    projectWords: ["Julbord", "Personalfest", "Konferens", "Bröllop", "Sommarfest", "Frukostmöte", "Jubileum"],
    giro: "plusgiro",
    ocrLengthDigit: false,
    construction: false,
  },
];

/** Buyers: company names by kind; builders buy construction services under reverse charge. */
export const BUYER_WORDS = [
  "Fastigheter",
  "Bostäder",
  "Förvaltning",
  "Invest",
  "Logistik",
  "Handel",
  "Kommunikation",
  "Teknik",
  "Gruppen",
] as const;
export const BUILDER_WORDS = ["Byggservice", "Entreprenad", "Bygg", "Byggnads"] as const;
export const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh)",
  "Mozilla/5.0 (Windows NT 10.0)",
  "Mozilla/5.0 (iPhone)",
  "Mozilla/5.0 (Linux; Android 14)",
] as const;
