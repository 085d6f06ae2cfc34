import { describe, expect, it } from "vitest";
import { minimalPrefixes, queryWords, sniWords, type SniEntry } from "../../src/core/companies/fts-query.ts";
import { buildFtsQuery } from "../../src/core/companies/fts-query.sqlite.ts";
import { buildFtsQuery as buildTsquery } from "../../src/core/companies/fts-query.postgres.ts";

const SNI: SniEntry[] = [
  { code: "52", words: sniWords("Magasinering och stödtjänster till transporter logistik lager spedition") },
  { code: "52290", words: sniWords("Övriga stödtjänster till transporter logistik spedition") },
  { code: "4791", words: sniWords("Postorderhandel och detaljhandel på Internet e-handel nätbutik") },
  { code: "69201", words: sniWords("Redovisning och bokföring redovisning") },
];

describe("company search words", () => {
  it("reduces Swedish compounds with a generic head and drops stopwords", () => {
    expect(queryWords("logistikföretag i Stockholm AB").map((w) => w.terms)).toEqual([["logistik"], ["stockholm"]]);
    expect(queryWords("Redovisningsbyrå").map((w) => w.terms)).toEqual([["redovisning"]]);
    expect(queryWords("Göteborgs byggfirma").map((w) => w.terms)).toEqual([["goteborgs"], ["bygg"]]);
  });

  it("keeps a hyphenated word together and finds the industries a word names", () => {
    const words = queryWords("e-handel logistik", SNI);
    expect(words[0]).toEqual({ terms: ["e", "handel"], sni: ["4791"] });
    expect(words[1]).toEqual({ terms: ["logistik"], sni: ["52"] });
  });

  it("builds the MATCH expression with filters inside the index", () => {
    const q = buildFtsQuery(queryWords("e-handel", SNI), { town: "Upplands Väsby", legalForm: "AB", active: true, sni: ["47", "4791"] });
    expect(q).toBe(
      '((({name description town municipality} : ("e" AND "handel"*) OR {sni} : ("4791"*)) AND ({sni} : ("47"*)) AND ({town} : ("upplands" AND "vasby")) AND ({tags} : "formab") AND ({tags} : "statusactive")) NOT ({tags} : "missing")) NOT ({tags} : "reklamsparr")',
    );
    expect(buildFtsQuery([], { includeReklamsparr: true })).toBe('({tags} : "status"*)');
    expect(buildFtsQuery(queryWords("bygg"), {}, "name")).toBe('(({name town municipality} : ("bygg"*))) NOT ({tags} : "reklamsparr")');
  });

  it("leaves a word out of the widest tier when the SNI filter implies its industry (the same companies)", () => {
    const lager = queryWords("lager", SNI);
    expect(lager[0]?.sni).toEqual(["52"]);
    expect(buildFtsQuery(lager, { sni: ["52290"] })).toBe('(({sni} : ("52290"*))) NOT ({tags} : "reklamsparr")');
    expect(buildTsquery(lager, { sni: ["52290"] })).toBe("('d52290':*) & !'dreklamsparr'");
    // The name tier keeps it: there it is not implied.
    expect(buildTsquery(lager, { sni: ["52290"] }, "name")).toBe("(('alager':* | 'blager':*)) & ('d52290':*) & !'dreklamsparr'");
    // A filter wider than the word's industries, or reaching past them, implies nothing.
    expect(buildTsquery(lager, { sni: ["5"] })).toContain("'clager':*");
    expect(buildTsquery(lager, { sni: ["52", "4791"] })).toContain("'clager':*");
    expect(buildTsquery(queryWords("lager"), { sni: ["52"] })).toContain("'clager':*");
  });

  it("never lets query syntax through", () => {
    const q = buildFtsQuery(queryWords('"NOT" OR (NEAR*) {name}:x'), {});
    expect(q).toContain('"not"*');
    expect(q).toContain('"near"*');
    expect(q).not.toMatch(/\(NOT\*\)|\{name\}:x/);
  });

  it("minimal prefixes", () => {
    expect(minimalPrefixes(["52290", "52", "4791", "47911"])).toEqual(["4791", "52"]);
  });
});
