// Generates a realistic Bolagsverket bulk file (and optionally the matching SCB bulk file) of N
// companies, for the import and search benchmarks. Deterministic: the same --seed gives the same file.
//
//   node bench/generate-register.mjs --rows 1800000 --out /tmp/bv.txt [--scb /tmp/scb.txt] [--seed 1]
//
// Bolagsverket: UTF-8, `;`-separated, every field quoted, `$` sub-fields, `|` repeats; about 3% sole
// traders (personnummer rows, skipped by the importer) and one bad row in 20,000 (wrong check digit).
// SCB: ISO-8859-1, tab-separated, PeOrgNr = 16 + orgnr, SNI codes in Ng1..Ng5, Reklamsparrtyp.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

const args = Object.fromEntries(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1]]] : [])));
const ROWS = Number(args.rows ?? 100_000);
const OUT = args.out;
const SCB = args.scb;
if (!OUT) throw new Error("usage: generate-register.mjs --rows N --out FILE [--scb FILE] [--seed N]");

let state = Number(args.seed ?? 1) >>> 0;
const rnd = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (a) => a[Math.floor(rnd() * a.length)];
const weighted = (items) => {
  const total = items.reduce((s, x) => s + x.w, 0);
  let r = rnd() * total;
  for (const x of items) if ((r -= x.w) < 0) return x;
  return items[items.length - 1];
};

const TOWNS = [
  ["STOCKHOLM", 111, 129, 300],
  ["GÖTEBORG", 411, 426, 150],
  ["MALMÖ", 211, 218, 90],
  ["UPPSALA", 751, 756, 50],
  ["VÄSTERÅS", 721, 725, 35],
  ["ÖREBRO", 702, 703, 35],
  ["LINKÖPING", 581, 589, 35],
  ["HELSINGBORG", 252, 256, 35],
  ["JÖNKÖPING", 553, 556, 35],
  ["NORRKÖPING", 602, 603, 30],
  ["LUND", 222, 227, 30],
  ["UMEÅ", 903, 907, 30],
  ["GÄVLE", 802, 806, 25],
  ["BORÅS", 503, 507, 25],
  ["SÖDERTÄLJE", 151, 152, 25],
  ["ESKILSTUNA", 632, 635, 20],
  ["HALMSTAD", 302, 305, 20],
  ["VÄXJÖ", 352, 355, 20],
  ["KARLSTAD", 652, 656, 20],
  ["SUNDSVALL", 852, 857, 20],
  ["LULEÅ", 972, 977, 18],
  ["TROLLHÄTTAN", 461, 461, 15],
  ["ÖSTERSUND", 831, 831, 15],
  ["BORLÄNGE", 781, 781, 12],
  ["FALUN", 791, 791, 12],
  ["KALMAR", 392, 392, 12],
  ["KRISTIANSTAD", 291, 291, 12],
  ["SKÖVDE", 541, 541, 10],
  ["KARLSKRONA", 371, 371, 10],
  ["SKELLEFTEÅ", 931, 931, 10],
  ["UDDEVALLA", 451, 451, 10],
  ["VARBERG", 432, 432, 10],
  ["NACKA", 131, 131, 25],
  ["SOLNA", 169, 171, 25],
  ["SUNDBYBERG", 172, 174, 12],
  ["TÄBY", 183, 187, 15],
  ["HUDDINGE", 141, 141, 15],
  ["KUNGSBACKA", 434, 434, 10],
  ["UPPLANDS VÄSBY", 194, 194, 8],
  ["VISBY", 621, 621, 6],
  ["MÖLNDAL", 431, 431, 10],
  ["PITEÅ", 941, 941, 6],
  ["MOTALA", 591, 591, 6],
  ["YSTAD", 271, 271, 5],
  ["KIRUNA", 981, 981, 4],
].map(([town, lo, hi, w]) => ({ town, lo, hi, w }));

// [SNI, weight, [activities ...]]
const SECTORS = [
  ["68201", 90, ["äga och förvalta fastigheter", "uthyrning och förvaltning av bostäder och lokaler"]],
  ["64202", 80, ["äga och förvalta aktier och andelar i dotterbolag", "holdingverksamhet"]],
  ["70220", 70, ["konsultverksamhet avseende företags organisation", "rådgivning inom ledarskap och affärsutveckling"]],
  ["62010", 60, ["utveckling av programvara och IT-konsultverksamhet", "konsulttjänster inom IT och systemutveckling"]],
  ["41200", 55, ["byggnadsverksamhet och byggentreprenader", "ny- och ombyggnad av bostadshus"]],
  ["43320", 30, ["snickeri- och byggnadsarbeten", "montering av kök och inredning"]],
  ["43210", 30, ["elinstallationer", "elektriska installationer i byggnader"]],
  ["43221", 25, ["VVS-arbeten och rörinstallationer", "installation av värme och sanitet"]],
  ["56100", 35, ["restaurang- och cateringverksamhet", "café och restaurang med servering"]],
  [
    "47910",
    40,
    [
      "e-handel med kläder och accessoarer",
      "försäljning av varor via internet",
      "e-handel med heminredning",
      "näthandel med sportartiklar",
    ],
  ],
  ["47710", 20, ["detaljhandel med kläder och skor", "butik för mode och accessoarer"]],
  ["47591", 10, ["detaljhandel med möbler och inredning"]],
  ["47430", 8, ["detaljhandel med hemelektronik"]],
  ["46900", 30, ["partihandel och import av varor", "agentur- och partihandel med konsumentvaror"]],
  ["46390", 10, ["partihandel med livsmedel"]],
  ["46460", 8, ["partihandel med medicinsk utrustning"]],
  ["49410", 30, ["godstransporter på väg och åkeriverksamhet", "lastbilstransporter och distribution"]],
  ["52290", 15, ["logistiktjänster, lagerhållning och spedition", "tredjepartslogistik och distribution av gods"]],
  ["52100", 8, ["lagerhållning och magasinering"]],
  ["53201", 6, ["bud- och kurirverksamhet", "paketleveranser i tätort"]],
  ["69201", 25, ["redovisning och bokföring", "redovisningstjänster och lönehantering"]],
  ["69102", 10, ["advokatverksamhet och juridisk rådgivning"]],
  ["71121", 20, ["teknisk konsultverksamhet inom bygg", "ingenjörstjänster och projektering"]],
  ["73111", 12, ["reklambyråverksamhet och marknadsföring"]],
  ["74102", 8, ["grafisk design och formgivning"]],
  ["81210", 15, ["lokalvård och städtjänster", "städning av kontor och bostäder"]],
  ["96021", 15, ["frisörverksamhet", "skönhetsvård och hårvård"]],
  ["86230", 10, ["tandläkarverksamhet"]],
  ["86900", 10, ["sjukgymnastik och annan hälsovård"]],
  ["85599", 10, ["utbildning och kursverksamhet"]],
  ["93130", 8, ["gym och träningsanläggning"]],
  ["01110", 15, ["odling av spannmål och jordbruk", "lantbruk med djurhållning"]],
  ["02100", 8, ["skogsbruk och skogsvård"]],
  ["45200", 15, ["bilverkstad och reparation av motorfordon", "service och reparation av bilar"]],
  ["45110", 8, ["handel med personbilar"]],
  ["10710", 4, ["bageri och konditori"]],
  ["25110", 6, ["tillverkning av metallkonstruktioner"]],
  ["28290", 5, ["tillverkning av maskiner för industrin"]],
  ["31010", 3, ["tillverkning av kontors- och butiksmöbler"]],
  ["90030", 10, ["konstnärlig verksamhet och kulturproduktion"]],
  ["59110", 5, ["film- och videoproduktion"]],
  ["78200", 6, ["personaluthyrning och bemanning"]],
  ["55101", 5, ["hotellverksamhet"]],
  ["77110", 4, ["uthyrning och leasing av bilar"]],
  ["80100", 3, ["bevakning och säkerhetstjänster"]],
  ["38110", 3, ["insamling av avfall och återvinning"]],
].map(([sni, w, acts]) => ({ sni, w, acts }));

const SURNAMES = [
  "Andersson",
  "Johansson",
  "Karlsson",
  "Nilsson",
  "Eriksson",
  "Larsson",
  "Olsson",
  "Persson",
  "Svensson",
  "Gustafsson",
  "Pettersson",
  "Jonsson",
  "Jansson",
  "Hansson",
  "Bengtsson",
  "Lindberg",
  "Lindqvist",
  "Lindström",
  "Bergström",
  "Sjöberg",
  "Åberg",
  "Öberg",
  "Ekström",
  "Holm",
  "Wallin",
  "Sandberg",
  "Forsberg",
  "Nyström",
  "Lundgren",
  "Björk",
  "Axelsson",
  "Berglund",
];
const WORDS = [
  "Nord",
  "Syd",
  "Väst",
  "Öst",
  "Svea",
  "Göta",
  "Norrlands",
  "Skandia",
  "Fjäll",
  "Sjö",
  "Skogs",
  "Bergs",
  "Ljus",
  "Stjärn",
  "Älv",
  "Ek",
  "Björk",
  "Linné",
  "Hav",
  "Kust",
  "Mälar",
  "Vänern",
  "Vätter",
  "Öresunds",
  "Stads",
  "Lilla",
  "Stora",
  "Nya",
  "Gamla",
  "Smart",
];
const HEADS = {
  68201: "Fastigheter",
  64202: "Holding",
  70220: "Konsult",
  62010: "IT",
  41200: "Bygg",
  43320: "Snickeri",
  43210: "El",
  43221: "VVS",
  56100: "Restaurang",
  47910: "Handel",
  47710: "Mode",
  47591: "Möbler",
  47430: "Elektronik",
  46900: "Trading",
  46390: "Livs",
  46460: "Medical",
  49410: "Åkeri",
  52290: "Logistik",
  52100: "Lager",
  53201: "Bud",
  69201: "Redovisning",
  69102: "Advokatbyrå",
  71121: "Teknik",
  73111: "Reklam",
  74102: "Design",
  81210: "Städ",
  96021: "Frisör",
  86230: "Tandvård",
  86900: "Hälsa",
  85599: "Utbildning",
  93130: "Gym",
  "01110": "Lantbruk",
  "02100": "Skog",
  45200: "Bil",
  45110: "Bilhandel",
  10710: "Bageri",
  25110: "Mekaniska",
  28290: "Maskin",
  31010: "Inredning",
  90030: "Kultur",
  59110: "Film",
  78200: "Bemanning",
  55101: "Hotell",
  77110: "Biluthyrning",
  80100: "Säkerhet",
  38110: "Återvinning",
};
const STREETS = [
  "Storgatan",
  "Kungsgatan",
  "Drottninggatan",
  "Industrivägen",
  "Hamngatan",
  "Järnvägsgatan",
  "Verkstadsgatan",
  "Lagervägen",
  "Terminalvägen",
  "Företagsvägen",
  "Sveavägen",
  "Västra vägen",
  "Åkerivägen",
  "Energigatan",
  "Smedjegatan",
  "Box",
];
const FORMS = [
  { code: "AB", g: "5", w: 80, scb: "49" },
  { code: "HB", g: "9", w: 8, scb: "31" },
  { code: "KB", g: "9", w: 2, scb: "32" },
  { code: "EF", g: "7", w: 3, scb: "51" },
  { code: "BRF", g: "7", w: 3, scb: "53" },
  { code: "E", g: "", w: 4, scb: "10" },
];

function luhn(d) {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 0) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return (10 - (sum % 10)) % 10;
}
let counter = 0;
/** Unique orgnr: group digit + 8 digits from a bijection of a counter (third digit >= 2). */
function nextOrgnr(g) {
  for (;;) {
    const x = String((counter++ * 48271 + 12345678) % 100_000_000).padStart(8, "0");
    if (Number(x[1]) < 2) continue;
    const nine = g + x;
    return nine + luhn(nine);
  }
}
const q = (s) => `"${String(s).replace(/"/g, '""')}"`;
const day = () => `${int(1960, 2025)}-${String(int(1, 12)).padStart(2, "0")}-${String(int(1, 28)).padStart(2, "0")}`;

const bv = createWriteStream(OUT);
const scb = SCB ? createWriteStream(SCB) : null;
const write = async (stream, text, encoding) => {
  if (!stream.write(text, encoding)) await once(stream, "drain");
};
await write(
  bv,
  "organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress\n",
  "utf8",
);
const SCB_COLS = [
  "ForAndrTyp",
  "COAdress",
  "Foretagsnamn",
  "FtgStat",
  "Gatuadress",
  "JEStat",
  "JurForm",
  "Namn",
  "Ng1",
  "Ng2",
  "Ng3",
  "Ng4",
  "Ng5",
  "PeOrgNr",
  "PostNr",
  "PostOrt",
  "RegDatKtid",
  "Reklamsparrtyp",
];
const MASKS = SCB_COLS.filter((c) => c !== "ForAndrTyp").map((c) => `m${c}`);
if (scb) await write(scb, `${[...SCB_COLS, ...MASKS].join("\t")}\r\n`, "latin1");

const titleCase = (s) => s.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_m, a, b) => a + b.toUpperCase());
const sectorsWeighted = SECTORS;
for (let i = 0; i < ROWS; i++) {
  const form = weighted(FORMS);
  const sector = weighted(sectorsWeighted);
  const town = weighted(TOWNS);
  let id;
  let idType = "ORGNR-IDORG";
  if (form.code === "E") {
    id = `19${int(40, 99)}${String(int(1, 12)).padStart(2, "0")}${String(int(1, 28)).padStart(2, "0")}${int(1000, 9999)}`;
    idType = "PERSON-IDORG";
  } else {
    id = nextOrgnr(form.g);
    if (i % 20_000 === 7) id = id.slice(0, 9) + String((Number(id[9]) + 1) % 10); // a bad check digit
  }
  const head = HEADS[sector.sni] ?? "Service";
  const style = int(0, 3);
  const base =
    style === 0
      ? `${pick(SURNAMES)}s ${head}`
      : style === 1
        ? `${pick(WORDS)}${head.toLowerCase()}`
        : style === 2
          ? `${titleCase(town.town)} ${head}`
          : `${pick(SURNAMES)} & ${pick(SURNAMES)} ${head}`;
  const suffix =
    form.code === "AB"
      ? " AB"
      : form.code === "HB"
        ? " HB"
        : form.code === "KB"
          ? " KB"
          : form.code === "EF"
            ? " ek. för."
            : form.code === "BRF"
              ? ""
              : "";
  const name =
    form.code === "BRF"
      ? `Bostadsrättsföreningen ${pick(WORDS)}${pick(["gården", "huset", "backen", "parken"])} ${i}`
      : `${base}${suffix}${rnd() < 0.35 ? ` ${i % 1000}` : ""}`;
  const names = `${name}$FORETAGSNAMN-ORGNAM$${day()}${rnd() < 0.05 ? `|${base} Sweden$FORETAGSNAMN_PA_FRAMMANDE_SPRAK-ORGNAM$${day()}` : ""}${rnd() < 0.04 ? `|${pick(WORDS)} ${head}$SARSKILT_FORETAGSNAMN-ORGNAM$${day()}` : ""}`;
  const r = rnd();
  const dereg = r < 0.06 ? `${int(2010, 2026)}-0${int(1, 9)}-1${int(0, 9)}` : "";
  const deregReason = dereg ? pick(["LIAV-AVORSAK", "VERKUPP-AVORSAK", "KKAV-AVORSAK", "FUAV-AVORSAK"]) : "";
  const pending = !dereg && r < 0.08 ? `|${pick(["LI", "KK", "FR"])}-AVOMFO$${int(2024, 2026)}-0${int(1, 9)}-01` : "";
  const desc = `Bolaget ska bedriva ${pick(sector.acts)}${rnd() < 0.5 ? ` samt ${pick(pick(SECTORS).acts)}` : ""} och därmed förenlig verksamhet.${rnd() < 0.01 ? ' Storlek 19" skärmar.' : ""}`;
  const pc = `${int(town.lo, town.hi)}${String(int(0, 99)).padStart(2, "0")}`;
  const street = `${pick(STREETS)} ${int(1, 120)}`;
  const co = rnd() < 0.1 ? `c/o ${pick(SURNAMES)}` : "";
  const registered = day();
  const fields = [
    `${id}$${idType}`,
    idType === "PERSON-IDORG" ? String(int(1, 3)) : "",
    "SE-LAND",
    names,
    `${form.code}-ORGFO`,
    dereg,
    deregReason,
    pending,
    registered,
    desc,
    `${street}$${co}$${town.town}$${pc}$SE-LAND`,
  ];
  await write(bv, `${fields.map(q).join(";")}\n`, "utf8");
  if (scb && idType === "ORGNR-IDORG") {
    const codes = [sector.sni, ...(rnd() < 0.3 ? [pick(SECTORS).sni] : [])];
    const rs = rnd() < 0.05 ? "21" : "11";
    const vals = {
      ForAndrTyp: "",
      COAdress: co,
      Foretagsnamn: name,
      FtgStat: dereg ? "9" : rnd() < 0.1 ? "0" : "1",
      Gatuadress: street,
      JEStat: dereg ? "0" : "1",
      JurForm: form.scb,
      Namn: "",
      Ng1: codes[0],
      Ng2: codes[1] ?? "",
      Ng3: "",
      Ng4: "",
      Ng5: "",
      PeOrgNr: `16${id}`,
      PostNr: pc,
      PostOrt: town.town,
      RegDatKtid: registered.replace(/-/g, ""),
      Reklamsparrtyp: rs,
    };
    await write(scb, `${[...SCB_COLS.map((c) => vals[c]), ...MASKS.map(() => "")].join("\t")}\r\n`, "latin1");
  }
}
bv.end();
scb?.end();
await Promise.all([once(bv, "finish"), scb ? once(scb, "finish") : null]);
console.log(JSON.stringify({ rows: ROWS, out: OUT, scb: SCB ?? null }));
