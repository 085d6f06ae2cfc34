import { describe, expect, it } from "vitest";
import { jsonErrorOffset, parseJsonText } from "../../src/core/util/json-text.ts";

describe("parseJsonText", () => {
  it("names where the text stops being JSON, in one line", () => {
    expect(() => parseJsonText('{\n  "concurrency": 3,\n  "lease": x\n}\n', "config file bad.json")).toThrow(
      /^config file bad\.json is not valid JSON at line 3 column 12$/,
    );
    expect(() => parseJsonText('{"a":', "line", { line: 5 })).toThrow(/^line is not valid JSON at line 5 column 6 \(it ends too early\)$/);
  });

  it("skips a byte order mark", () => {
    expect(parseJsonText('\ufeff{"concurrency":3}\n', "c")).toEqual({ concurrency: 3 });
  });
});

describe("jsonErrorOffset", () => {
  it.each<[string, number]>([
    ['{\n  "concurrency": 3,\n  "lease": x\n}\n', 33],
    ['{"a":1', 6],
    ['{"a":1}x', 7],
    ["", 0],
    ["[1,]", 3],
    ['{"a" 1}', 5],
    ["[01]", 2],
    ['"\\q"', 2],
    ['{"a":[1,2,{"b":tru}]}', 18],
    ["{,}", 1],
    ["[1 2]", 3],
    ['{"a":1,}', 7],
    ['"abc', 4],
    ["-", 1],
    ["1.", 2],
    ["1e", 2],
    ['"a\tb"', 2],
  ])("%j stops at %i, where JSON.parse refuses it", (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it("is the length of valid JSON, and walks deep nesting without recursion", () => {
    for (const ok of ['{"a":[1,2.5e-3,{"b":true,"c":null}],"d":"\\u00e5\\n"}', "[]", "{}", " 1 ", '"x"'])
      expect(jsonErrorOffset(ok)).toBe(ok.length);
    expect(jsonErrorOffset("[".repeat(200_000))).toBe(200_000);
  });
});
