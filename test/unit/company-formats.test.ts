import { describe, expect, it } from "vitest";
import { parseBolagsverketFields, splitBolagsverketRow } from "../../src/core/companies/formats/bolagsverket.ts";
import { csvLayout, parseCsvFields, splitCsvRecord } from "../../src/core/companies/formats/csv.ts";
import { detectFormat } from "../../src/core/companies/formats/detect.ts";
import { rowReader } from "../../src/core/companies/formats/rows.ts";
import { parseScbFields, scbColumns } from "../../src/core/companies/formats/scb.ts";
import type { ParsedRow } from "../../src/core/companies/record.ts";
import { normaliseDate, normalisePostcode, titleCase } from "../../src/core/companies/text.ts";

const BV_HEADER =
  "organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress";
const bvRow = (fields: string[]) => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(";");

/** Feeds lines through the format's reader; returns [line, row] pairs. */
function readAll(text: string, encoding: "utf8" | "latin1" = "utf8"): Array<[number, ParsedRow]> {
  const buf = Buffer.from(text, encoding);
  const reader = rowReader(detectFormat(buf));
  const out: Array<[number, ParsedRow]> = [];
  text.split("\n").forEach((line, i) => reader.line(line.replace(/\r$/, ""), i + 1, (row, at) => out.push([at, row])));
  reader.end((row, at) => out.push([at, row]));
  return out;
}

describe("Bolagsverket bulk rows", () => {
  it("reads sub-fields ($) and repeated entries (|): names, form, status, address", () => {
    const f = splitBolagsverketRow(
      bvRow([
        "5560160680$ORGNR-IDORG",
        "",
        "SE-LAND",
        "Åkesson Logistik AB$FORETAGSNAMN-ORGNAM$2020-01-02|Akesson Logistics$FORETAGSNAMN_PA_FRAMMANDE_SPRAK-ORGNAM$2020-01-02|Åkessons Bud$SARSKILT_FORETAGSNAMN-ORGNAM$2021-02-03",
        "AB-ORGFO",
        "",
        "",
        "|LI-AVOMFO$2026-04-01",
        "2020-01-02",
        'Lager och "3PL"-tjänster',
        "Hamnvägen 4$c/o Berg$UPPLANDS VÄSBY$19430$SE-LAND",
      ]),
    );
    expect("fields" in f).toBe(true);
    const row = parseBolagsverketFields((f as { fields: string[] }).fields);
    expect(row).toEqual({
      kind: "company",
      record: {
        orgnr: "5560160680",
        name: "Åkesson Logistik AB",
        altNames: "Akesson Logistics | Åkessons Bud",
        legalForm: "AB",
        status: "liquidation",
        registeredOn: "2020-01-02",
        deregisteredOn: null,
        description: 'Lager och "3PL"-tjänster',
        street: "Hamnvägen 4",
        coAddress: "c/o Berg",
        postcode: "194 30",
        town: "Upplands Väsby",
        municipality: "Upplands Väsby",
      },
    });
  });

  it("deregistration wins, bankruptcy beats liquidation-free; sole traders are skipped; bad numbers rejected", () => {
    const base = ["5560160680$ORGNR-IDORG", "", "SE-LAND", "X AB$FORETAGSNAMN-ORGNAM$2020-01-02", "AB-ORGFO", "", "", "", "", "", "$$$$"];
    const with_ = (i: number, v: string) => parseBolagsverketFields(base.map((x, k) => (k === i ? v : x)));
    expect(with_(5, "2023-05-05T00:00:00.000+00:00")).toMatchObject({ record: { status: "deregistered", deregisteredOn: "2023-05-05" } });
    expect(with_(7, "|KK-AVOMFO$2026-01-01")).toMatchObject({ record: { status: "bankruptcy" } });
    expect(with_(0, "198112189876$PERSON-IDORG")).toEqual({ kind: "skip", reason: "sole trader (personnummer)" });
    expect(with_(0, "5560160681$ORGNR-IDORG")).toEqual({
      kind: "reject",
      reason: 'invalid organisationsnummer: "5560160681": wrong check digit',
    });
    expect(with_(3, "")).toEqual({ kind: "reject", reason: "no company name" });
  });

  it("a stray quote does not break the row; a quoted line break joins lines; rows keep their first line number", () => {
    const ok = bvRow([
      "5560160680$ORGNR-IDORG",
      "",
      "SE-LAND",
      "A AB$FORETAGSNAMN-ORGNAM$2020-01-02",
      "AB-ORGFO",
      "",
      "",
      "",
      "2020-01-02",
      "x",
      "$$STOCKHOLM$11122$SE-LAND",
    ]);
    const stray = ok.replace('"x"', '"19" skärmar"');
    const broken = ok.replace('"x"', '"rad ett\nrad två"');
    const rows = readAll([BV_HEADER, stray, broken, '"5560160680$ORGNR-IDORG";"x', ok.replace("5560160680", "2021005489")].join("\n"));
    expect(rows.map(([line, r]) => [line, r.kind])).toEqual([
      [2, "company"],
      [3, "company"],
      [5, "reject"],
      [6, "company"],
    ]);
    expect((rows[0]![1] as { record: { description: string } }).record.description).toBe('19" skärmar');
    expect((rows[1]![1] as { record: { description: string } }).record.description).toBe("rad ett\nrad två");
    expect(rows[2]![1]).toMatchObject({ reason: expect.stringMatching(/unterminated row/) });
  });
});

describe("SCB bulk rows", () => {
  const cols = scbColumns(
    "ForAndrTyp\tCOAdress\tForetagsnamn\tFtgStat\tGatuadress\tJEStat\tJurForm\tNamn\tNg1\tNg2\tNg3\tNg4\tNg5\tPeOrgNr\tPostNr\tPostOrt\tRegDatKtid\tReklamsparrtyp\tmNg1",
  );
  const row = (o: Record<string, string>) => {
    const names = [
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
      "mNg1",
    ];
    return names.map((n) => o[n] ?? "");
  };

  it("reads 16-prefixed numbers, SNI codes, legal form, activity and reklamspärr", () => {
    expect(
      parseScbFields(
        row({
          PeOrgNr: "165560160680",
          Foretagsnamn: "Åkesson Logistik AB",
          FtgStat: "1",
          JurForm: "49",
          Ng1: "52290",
          Ng2: "49410",
          Ng3: "00000",
          PostNr: "41764",
          PostOrt: "GÖTEBORG",
          RegDatKtid: "20200102",
          Reklamsparrtyp: "21",
        }),
        cols,
      ),
    ).toEqual({
      kind: "company",
      record: {
        orgnr: "5560160680",
        name: "Åkesson Logistik AB",
        legalForm: "AB",
        status: "active",
        street: null,
        coAddress: null,
        postcode: "417 64",
        town: "Göteborg",
        municipality: "Göteborg",
        sniCodes: ["52290", "49410"],
        reklamsparr: true,
        registeredOn: "2020-01-02",
      },
    });
    expect(
      parseScbFields(row({ PeOrgNr: "165560160680", Namn: "Fallback", FtgStat: "9", JurForm: "31", Reklamsparrtyp: "11" }), cols),
    ).toMatchObject({ record: { name: "Fallback", status: "inactive", legalForm: "HB", reklamsparr: false } });
    expect(parseScbFields(row({ PeOrgNr: "198112189876", Namn: "Anna" }), cols)).toMatchObject({ kind: "skip" });
    expect(parseScbFields(row({ PeOrgNr: "165560160681", Namn: "X" }), cols)).toMatchObject({ kind: "reject" });
  });
});

describe("plain CSV", () => {
  it("splits RFC 4180 records: quoted delimiters, doubled quotes, line breaks", () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",', ",")).toEqual({ fields: ["a", "b, c", 'say "hi"', ""], complete: true });
    expect(splitCsvRecord('a;"open', ";")).toMatchObject({ complete: false });
    expect(splitCsvRecord('1, "Bolaget, AB" ,Lund', ",")).toEqual({ fields: ["1", "Bolaget, AB", "Lund"], complete: true });
  });

  it("maps a header in any order with Swedish aliases; unknown columns are refused before any write", () => {
    const layout = csvLayout("Organisationsnummer;Namn;Postort;SNI;Reklamspärr;Omsättning TKR", ";");
    expect(layout.columns).toEqual({ orgnr: 0, name: 1, town: 2, sni: 3, reklamsparr: 4, revenue_tkr: 5 });
    expect(() => csvLayout("orgnr,name,colour", ",")).toThrow(/unknown CSV column\(s\): "colour"/);
    expect(() => csvLayout("orgnr,town", ",")).toThrow(/no "name" column/);
  });

  it("validates every value and says what is wrong", () => {
    const layout = csvLayout("orgnr,name,status,postcode,sni,website,employees,reklamsparr,registered_on", ",");
    const parse = (line: string) => parseCsvFields(splitCsvRecord(line, ",").fields, layout);
    expect(parse("556016-0680,Åkesson AB,active,41764,52290 49410,www.akesson.se,12,ja,2020-01-02")).toEqual({
      kind: "company",
      record: {
        orgnr: "5560160680",
        name: "Åkesson AB",
        status: "active",
        postcode: "417 64",
        sniCodes: ["52290", "49410"],
        website: "https://www.akesson.se",
        employees: 12,
        reklamsparr: true,
        registeredOn: "2020-01-02",
      },
    });
    expect(parse("5560160680,A,sleeping,,,,,,")).toMatchObject({
      kind: "reject",
      reason: expect.stringMatching(/unknown status "sleeping"/),
    });
    expect(parse("5560160680,A,,1234,,,,,")).toMatchObject({ reason: 'invalid postcode "1234"' });
    expect(parse("5560160680,A,,,,,-3,,")).toMatchObject({ reason: expect.stringMatching(/invalid employees "-3"/) });
    expect(parse("5560160680,A,,,,,,kanske,")).toMatchObject({ reason: expect.stringMatching(/invalid reklamsparr/) });
    expect(parse("5560160680,A,,,,,,,2020-02-30")).toMatchObject({ reason: expect.stringMatching(/invalid registered_on/) });
    expect(parse(",A,,,,,,,")).toMatchObject({ reason: "no organisationsnummer" });
  });
});

describe("format and encoding detection", () => {
  it("tells the three formats apart and picks the encoding from the bytes", () => {
    expect(detectFormat(Buffer.from(`${BV_HEADER}\n"5560160680$ORGNR-IDORG";"";"SE-LAND";"Å AB"\n`, "utf8"))).toMatchObject({
      format: "bolagsverket",
      encoding: "utf8",
      hasHeader: true,
    });
    expect(detectFormat(Buffer.from(`${BV_HEADER}\n"5560160680$ORGNR-IDORG";"";"SE-LAND";"Å AB"\n`, "latin1"))).toMatchObject({
      format: "bolagsverket",
      encoding: "latin1",
    });
    expect(detectFormat(Buffer.from('"5560160680$ORGNR-IDORG";"";"SE-LAND"\n'))).toMatchObject({
      format: "bolagsverket",
      hasHeader: false,
    });
    expect(detectFormat(Buffer.from("PeOrgNr\tForetagsnamn\n165560160680\tAB\n"))).toMatchObject({ format: "scb", encoding: "latin1" });
    expect(detectFormat(Buffer.from("PeOrgNr\tForetagsnamn\n165560160680\tÅkesson\n", "utf8"))).toMatchObject({
      format: "scb",
      encoding: "utf8",
    });
    expect(detectFormat(Buffer.from("\uFEFForgnr;name\n5560160680;Åkesson\n", "utf8"))).toMatchObject({
      format: "csv",
      delimiter: ";",
      encoding: "utf8",
      firstLine: "orgnr;name",
    });
    expect(detectFormat(Buffer.from("orgnr,namn\n5560160680,Åkesson\n", "latin1"))).toMatchObject({
      format: "csv",
      delimiter: ",",
      encoding: "latin1",
    });
    expect(detectFormat(Buffer.from("orgnr,namn\n5560160680,Akesson\n"), "latin1")).toMatchObject({ encoding: "latin1" });
    expect(() => detectFormat(Buffer.from("hello world\n"))).toThrow(/unrecognised file format/);
  });

  it("reads a latin1 CSV with quoted line breaks and reports bad rows by line", () => {
    const rows = readAll(
      'orgnr;name;description\n5560160680;Åkesson AB;"rad ett\nrad två"\n5560160681;Fel AB;x\n\n2021005489;"Bolagsverket; Sundsvall";y\n',
      "latin1",
    );
    expect(rows.map(([line, r]) => [line, r.kind])).toEqual([
      [2, "company"],
      [4, "reject"],
      [6, "company"],
    ]);
    expect(rows[2]![1]).toMatchObject({ record: { name: "Bolagsverket; Sundsvall" } });
  });
});

describe("normalisers", () => {
  it("title case, postcodes, dates", () => {
    expect(titleCase("UPPLANDS VÄSBY")).toBe("Upplands Väsby");
    expect(titleCase("STOCKHOLM-ARLANDA")).toBe("Stockholm-Arlanda");
    expect(normalisePostcode("111 22")).toBe("111 22");
    expect(normalisePostcode("1112")).toBeNull();
    expect(normaliseDate("2023-05-05T00:00:00.000+00:00")).toBe("2023-05-05");
    expect(normaliseDate("20230229")).toBeNull();
  });
});
