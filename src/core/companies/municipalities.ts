import { fold } from "./text.ts";

/**
 * Sweden's 290 municipalities, and post towns (postort) that lie in a municipality of another
 * name. The bulk files carry a post town but no municipality; this fills it in where it is known.
 */
const MUNICIPALITIES = `Botkyrka Danderyd Ekerö Haninge Huddinge Järfälla Lidingö Nacka Norrtälje Nykvarn Nynäshamn Salem Sigtuna
Sollentuna Solna Stockholm Sundbyberg Södertälje Tyresö Täby Upplands_Väsby Upplands-Bro Vallentuna Vaxholm Värmdö Österåker
Enköping Heby Håbo Knivsta Tierp Uppsala Älvkarleby Östhammar Eskilstuna Flen Gnesta Katrineholm Nyköping Oxelösund Strängnäs
Trosa Vingåker Boxholm Finspång Kinda Linköping Mjölby Motala Norrköping Söderköping Vadstena Valdemarsvik Ydre Åtvidaberg Ödeshög
Aneby Eksjö Gislaved Gnosjö Habo Jönköping Mullsjö Nässjö Sävsjö Tranås Vaggeryd Vetlanda Värnamo Alvesta Lessebo Ljungby Markaryd
Tingsryd Uppvidinge Växjö Älmhult Borgholm Emmaboda Hultsfred Högsby Kalmar Mönsterås Mörbylånga Nybro Oskarshamn Torsås Vimmerby
Västervik Gotland Karlshamn Karlskrona Olofström Ronneby Sölvesborg Bjuv Bromölla Burlöv Båstad Eslöv Helsingborg Hässleholm Höganäs
Hörby Höör Klippan Kristianstad Kävlinge Landskrona Lomma Lund Malmö Osby Perstorp Simrishamn Sjöbo Skurup Staffanstorp Svalöv
Svedala Tomelilla Trelleborg Vellinge Ystad Åstorp Ängelholm Örkelljunga Östra_Göinge Falkenberg Halmstad Hylte Kungsbacka Laholm
Varberg Ale Alingsås Bengtsfors Bollebygd Borås Dals-Ed Essunga Falköping Färgelanda Grästorp Gullspång Göteborg Götene Herrljunga
Hjo Härryda Karlsborg Kungälv Lerum Lidköping Lilla_Edet Lysekil Mariestad Mark Mellerud Munkedal Mölndal Orust Partille Skara
Skövde Sotenäs Stenungsund Strömstad Svenljunga Tanum Tibro Tidaholm Tjörn Tranemo Trollhättan Töreboda Uddevalla Ulricehamn Vara
Vårgårda Vänersborg Åmål Öckerö Arvika Eda Filipstad Forshaga Grums Hagfors Hammarö Karlstad Kil Kristinehamn Munkfors Storfors
Sunne Säffle Torsby Årjäng Askersund Degerfors Hallsberg Hällefors Karlskoga Kumla Laxå Lekeberg Lindesberg Ljusnarsberg Nora Örebro
Arboga Fagersta Hallstahammar Kungsör Köping Norberg Sala Skinnskatteberg Surahammar Västerås Avesta Borlänge Falun Gagnef Hedemora
Leksand Ludvika Malung-Sälen Mora Orsa Rättvik Smedjebacken Säter Vansbro Älvdalen Bollnäs Gävle Hofors Hudiksvall Ljusdal
Nordanstig Ockelbo Ovanåker Sandviken Söderhamn Härnösand Kramfors Sollefteå Sundsvall Timrå Ånge Örnsköldsvik Berg Bräcke
Härjedalen Krokom Ragunda Strömsund Åre Östersund Bjurholm Dorotea Lycksele Malå Nordmaling Norsjö Robertsfors Skellefteå Sorsele
Storuman Umeå Vilhelmina Vindeln Vännäs Åsele Arjeplog Arvidsjaur Boden Gällivare Haparanda Jokkmokk Kalix Kiruna Luleå Pajala
Piteå Älvsbyn Överkalix Övertorneå`
  .split(/\s+/)
  .map((m) => m.replace(/_/g, " "));

/** Post towns in a municipality of another name (the common ones). */
const POST_TOWNS: Readonly<Record<string, string>> = {
  Visby: "Gotland",
  Huskvarna: "Jönköping",
  Bromma: "Stockholm",
  Hägersten: "Stockholm",
  Johanneshov: "Stockholm",
  Spånga: "Stockholm",
  Vällingby: "Stockholm",
  Kista: "Stockholm",
  Farsta: "Stockholm",
  Enskede: "Stockholm",
  Bandhagen: "Stockholm",
  Skärholmen: "Stockholm",
  Årsta: "Stockholm",
  Älvsjö: "Stockholm",
  Sköndal: "Stockholm",
  Hässelby: "Stockholm",
  Skarpnäck: "Stockholm",
  "Stockholm-Arlanda": "Sigtuna",
  Arlandastad: "Sigtuna",
  Märsta: "Sigtuna",
  Åkersberga: "Österåker",
  Kungsängen: "Upplands-Bro",
  Bro: "Upplands-Bro",
  Tumba: "Botkyrka",
  Tullinge: "Botkyrka",
  Norsborg: "Botkyrka",
  Handen: "Haninge",
  Jordbro: "Haninge",
  Västerhaninge: "Haninge",
  Saltsjöbaden: "Nacka",
  "Saltsjö-Boo": "Nacka",
  Gustavsberg: "Värmdö",
  Djursholm: "Danderyd",
  Rönninge: "Salem",
  Bålsta: "Håbo",
  Skutskär: "Älvkarleby",
  "Västra Frölunda": "Göteborg",
  "Hisings Backa": "Göteborg",
  "Hisings Kärra": "Göteborg",
  Askim: "Göteborg",
  Torslanda: "Göteborg",
  Angered: "Göteborg",
  Mölnlycke: "Härryda",
  Limhamn: "Malmö",
  Bunkeflostrand: "Malmö",
  Arlöv: "Burlöv",
  Åkarp: "Burlöv",
  Kinna: "Mark",
  Malung: "Malung-Sälen",
  Sveg: "Härjedalen",
  Svenstavik: "Berg",
  Broby: "Östra Göinge",
  Nödinge: "Ale",
  Ed: "Dals-Ed",
  Henån: "Orust",
  Skärhamn: "Tjörn",
  Bergsjö: "Nordanstig",
  Fjugesta: "Lekeberg",
  Skoghall: "Hammarö",
  Österbymo: "Ydre",
  Kisa: "Kinda",
  Nossebro: "Essunga",
  Tanumshede: "Tanum",
  Kungshamn: "Sotenäs",
  Hammarstrand: "Ragunda",
  Åseda: "Uppvidinge",
  "Upplands Väsby": "Upplands Väsby",
};

const BY_FOLDED = new Map<string, string>([
  ...MUNICIPALITIES.map((m) => [fold(m), m] as const),
  ...Object.entries(POST_TOWNS).map(([town, m]) => [fold(town), m] as const),
]);

/** The municipality of a post town, when known. */
export function municipalityFor(town: string | null | undefined): string | null {
  if (!town) return null;
  return BY_FOLDED.get(fold(town.trim())) ?? null;
}

export const MUNICIPALITY_COUNT = MUNICIPALITIES.length;
