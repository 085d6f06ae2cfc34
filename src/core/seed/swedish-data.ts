/** Word lists for realistic Swedish demo companies. Population weights are rough. */

export interface Town {
  town: string;
  municipality: string;
  /** First three postcode digits this town uses. */
  postcodes: readonly [number, number];
  weight: number;
}

export const TOWNS: readonly Town[] = [
  { town: "Stockholm", municipality: "Stockholm", postcodes: [111, 129], weight: 30 },
  { town: "Solna", municipality: "Solna", postcodes: [169, 171], weight: 4 },
  { town: "Göteborg", municipality: "Göteborg", postcodes: [411, 426], weight: 16 },
  { town: "Malmö", municipality: "Malmö", postcodes: [211, 218], weight: 10 },
  { town: "Uppsala", municipality: "Uppsala", postcodes: [751, 756], weight: 6 },
  { town: "Västerås", municipality: "Västerås", postcodes: [721, 725], weight: 4 },
  { town: "Örebro", municipality: "Örebro", postcodes: [702, 703], weight: 4 },
  { town: "Linköping", municipality: "Linköping", postcodes: [581, 589], weight: 4 },
  { town: "Helsingborg", municipality: "Helsingborg", postcodes: [252, 256], weight: 4 },
  { town: "Jönköping", municipality: "Jönköping", postcodes: [553, 556], weight: 4 },
  { town: "Norrköping", municipality: "Norrköping", postcodes: [602, 603], weight: 3 },
  { town: "Lund", municipality: "Lund", postcodes: [222, 227], weight: 3 },
  { town: "Umeå", municipality: "Umeå", postcodes: [903, 907], weight: 3 },
  { town: "Gävle", municipality: "Gävle", postcodes: [802, 806], weight: 3 },
  { town: "Borås", municipality: "Borås", postcodes: [503, 507], weight: 3 },
  { town: "Sundsvall", municipality: "Sundsvall", postcodes: [852, 857], weight: 2 },
  { town: "Eskilstuna", municipality: "Eskilstuna", postcodes: [632, 635], weight: 2 },
  { town: "Karlstad", municipality: "Karlstad", postcodes: [652, 656], weight: 2 },
  { town: "Växjö", municipality: "Växjö", postcodes: [352, 355], weight: 2 },
  { town: "Halmstad", municipality: "Halmstad", postcodes: [302, 305], weight: 2 },
  { town: "Luleå", municipality: "Luleå", postcodes: [972, 977], weight: 2 },
  { town: "Huskvarna", municipality: "Jönköping", postcodes: [561, 561], weight: 1 },
  { town: "Kungsbacka", municipality: "Kungsbacka", postcodes: [434, 434], weight: 1 },
  { town: "Östersund", municipality: "Östersund", postcodes: [831, 831], weight: 1 },
  { town: "Falun", municipality: "Falun", postcodes: [791, 791], weight: 1 },
  { town: "Visby", municipality: "Gotland", postcodes: [621, 621], weight: 1 },
];

export interface Sector {
  /** Word used in company names. */
  word: string;
  sni: string;
  /** What the company does (verksamhetsbeskrivning). */
  description: string;
  /** Keywords a user tracking such companies watches for in job ads. */
  keywords: readonly string[];
  /** Sells online: more likely to have a web shop. */
  ecommerce: boolean;
  weight: number;
}

export const SECTORS: readonly Sector[] = [
  { word: "Logistik", sni: "52290", description: "Tredjepartslogistik, lagerhållning och distribution av gods", keywords: ["lager", "logistik", "truck"], ecommerce: false, weight: 6 },
  { word: "Frakt", sni: "49410", description: "Vägtransport av gods, inrikes och till Norden", keywords: ["chaufför", "transport", "trafikledare"], ecommerce: false, weight: 5 },
  { word: "Lager & Distribution", sni: "52100", description: "Magasinering och varulager", keywords: ["lager", "truck", "plock"], ecommerce: false, weight: 3 },
  { word: "Bud", sni: "53201", description: "Bud- och kurirverksamhet i storstadsområdet", keywords: ["bud", "cykelbud", "leverans"], ecommerce: false, weight: 2 },
  { word: "Webbhandel", sni: "47910", description: "Postorderhandel och detaljhandel via Internet", keywords: ["e-handel", "kundtjänst", "lager"], ecommerce: true, weight: 10 },
  { word: "Kläder", sni: "47710", description: "Detaljhandel med kläder, egen butik och webbshop", keywords: ["butik", "e-handel", "inköp"], ecommerce: true, weight: 5 },
  { word: "Sport", sni: "47641", description: "Detaljhandel med sport- och fritidsartiklar", keywords: ["butik", "e-handel"], ecommerce: true, weight: 3 },
  { word: "Cykel", sni: "47642", description: "Specialiserad butikshandel med cyklar och tillbehör", keywords: ["cykelmekaniker", "butik"], ecommerce: true, weight: 2 },
  { word: "Möbler", sni: "47591", description: "Detaljhandel med möbler och heminredning", keywords: ["montör", "lager", "e-handel"], ecommerce: true, weight: 4 },
  { word: "Elektronik", sni: "47430", description: "Detaljhandel med hemelektronik", keywords: ["butik", "tekniker", "e-handel"], ecommerce: true, weight: 3 },
  { word: "Järn", sni: "47520", description: "Detaljhandel med järn- och byggvaror", keywords: ["butik", "lager"], ecommerce: true, weight: 2 },
  { word: "Skönhet", sni: "47750", description: "Detaljhandel med kosmetika och hygienartiklar", keywords: ["e-handel", "kundtjänst"], ecommerce: true, weight: 3 },
  { word: "Partihandel", sni: "46900", description: "Icke-specialiserad partihandel", keywords: ["inköp", "lager", "säljare"], ecommerce: false, weight: 4 },
  { word: "Livs", sni: "46390", description: "Icke-specialiserad partihandel med livsmedel", keywords: ["lager", "chaufför", "inköp"], ecommerce: false, weight: 2 },
  { word: "Bygg", sni: "41200", description: "Byggande av bostadshus och andra byggnader", keywords: ["snickare", "projektledare"], ecommerce: false, weight: 5 },
  { word: "Data", sni: "62010", description: "Dataprogrammering och IT-konsulttjänster", keywords: ["utvecklare", "devops"], ecommerce: false, weight: 4 },
  { word: "Reklam", sni: "73111", description: "Reklambyråverksamhet", keywords: ["projektledare", "copywriter"], ecommerce: false, weight: 2 },
  { word: "Redovisning", sni: "69201", description: "Redovisning och bokföring", keywords: ["redovisningskonsult"], ecommerce: false, weight: 2 },
  { word: "Bageri", sni: "10710", description: "Tillverkning av mjukt matbröd och färska bakverk", keywords: ["bagare", "chaufför"], ecommerce: false, weight: 1 },
  { word: "Restaurang", sni: "56100", description: "Restaurangverksamhet", keywords: ["kock", "servitör"], ecommerce: false, weight: 2 },
  { word: "Agentur", sni: "46180", description: "Agenturhandel med specialsortiment", keywords: ["säljare", "e-handel"], ecommerce: true, weight: 1 },
];

export const SURNAMES = [
  "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
  "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Lindström", "Bergström", "Sjöberg",
  "Åberg", "Öberg", "Ekström", "Holm", "Wallin", "Sandberg", "Forsberg", "Nyström", "Lundgren", "Björk",
] as const;

export const NAME_WORDS = [
  "Nord", "Syd", "Väst", "Öst", "Svea", "Göta", "Norrlands", "Skandia", "Fjäll", "Sjö", "Skogs", "Bergs", "Ljus", "Stjärn",
  "Älv", "Ek", "Björk", "Linné", "Hav", "Kust", "Mälar", "Vänern", "Vätter", "Öresunds", "Stads", "Lilla", "Stora", "Nya",
] as const;

export const FIRST_NAMES = [
  "Anna", "Erik", "Sara", "Johan", "Maria", "Lars", "Karin", "Anders", "Emma", "Per", "Elin", "Mikael", "Linnea", "Oskar",
  "Ida", "Fredrik", "Sofia", "Henrik", "Maja", "Jonas",
] as const;

export const STREETS = [
  "Storgatan", "Kungsgatan", "Drottninggatan", "Industrivägen", "Hamngatan", "Järnvägsgatan", "Verkstadsgatan", "Lagervägen",
  "Terminalvägen", "Företagsvägen", "Sveavägen", "Västra vägen", "Åkerivägen", "Energigatan", "Smedjegatan",
] as const;

/** Legal forms with the first digit their organisationsnummer gets, and how common they are. */
export const LEGAL_FORMS: ReadonlyArray<readonly [{ code: string; suffix: string; group: string }, number]> = [
  [{ code: "AB", suffix: "AB", group: "5" }, 85],
  [{ code: "HB", suffix: "HB", group: "9" }, 8],
  [{ code: "KB", suffix: "KB", group: "9" }, 2],
  [{ code: "EF", suffix: "ek. för.", group: "7" }, 5],
];
