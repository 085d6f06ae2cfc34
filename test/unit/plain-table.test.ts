import { describe, expect, it } from "vitest";
import { cliTable } from "../../src/commands/shared/output.ts";
import { plainTable } from "../../src/commands/shared/plain-table.ts";

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

const PLAIN = " abcXYZ019-_:.,()[]#/'\"!?*=<>|~`{}\\^%$@&+;åäöÅÄÖéü×·…";

describe("plainTable lays a table out as cli-table3 does", () => {
  it("for plain narrow text: random tables, empty cells, padding spaces, one column, one row", async () => {
    const next = random(16);
    const word = () => Array.from({ length: next(9) }, () => PLAIN[next(PLAIN.length)]).join("");
    const tables: Array<[string[], string[][]]> = [
      [["ONE"], [["x"]]],
      [["A", "B"], [["", ""]]],
      [
        ["ID", "TYPE", "NOTE"],
        [
          ["1", "noop", "  spaced  "],
          ["22", "", "-"],
        ],
      ],
    ];
    for (let t = 0; t < 150; t++) {
      const cols = 1 + next(6);
      tables.push([Array.from({ length: cols }, word), Array.from({ length: 1 + next(8) }, () => Array.from({ length: cols }, word))]);
    }
    for (const [head, rows] of tables) expect(plainTable(head, rows), JSON.stringify([head, rows])).toBe(await cliTable(head, rows));
  });

  it("leaves to cli-table3 what it must measure: colour, emoji, wide and combining characters, line breaks, tabs, no rows", async () => {
    for (const cell of ["\u001b[1mbold\u001b[22m", "ok ✅", "日本", "e\u0301", "two\nlines", "a\tb", "©"]) {
      expect(plainTable(["A", "B"], [["x", cell]])).toBeUndefined();
    }
    expect(plainTable(["A"], [])).toBeUndefined();
    expect(plainTable(["A", "B"], [["only one"]])).toBeUndefined();
  });
});
