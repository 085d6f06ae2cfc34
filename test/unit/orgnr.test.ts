import { describe, expect, it } from "vitest";
import { checkOrgnr, formatOrgnr, vatNumber, withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { luhnCheckDigit } from "../../src/core/domain/luhn.ts";

describe("organisationsnummer", () => {
  it.each([
    ["202100-5489", "2021005489"],
    ["556016-0680", "5560160680"],
    ["5299999994", "5299999994"],
    ["165560160680", "5560160680"],
    [" 556016 0680 ", "5560160680"],
  ])("accepts %s as %s", (input, orgnr) => expect(checkOrgnr(input)).toEqual({ ok: true, orgnr }));

  it.each([
    ["556016-0681", /check digit/],
    ["811218-9876", /third digit/],
    ["10202100-5489", /starts with 16/],
    ["195560160680", /starts with 16/],
    ["55601606", /has 8 digits/],
    ["abc", /not a number/],
  ])("rejects %s", (input, why) => {
    const r = checkOrgnr(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(why);
  });

  it("formats and derives the VAT number", () => {
    expect(formatOrgnr("5560160680")).toBe("556016-0680");
    expect(vatNumber("5560160680")).toBe("SE556016068001");
    expect(withCheckDigit("556016068")).toBe("5560160680");
    expect(luhnCheckDigit("12345")).toBe(5);
  });
});
