import { describe, expect, it } from "vitest";
import { editList } from "../../src/core/brands/name-list.ts";

describe("editList: aliases and domains after an edit", () => {
  it.each([
    { current: ["Post Nord"], add: ["PN"], remove: [], out: ["Post Nord", "PN"] },
    { current: ["Post Nord"], add: ["post nord", " PN "], remove: [], out: ["Post Nord", "PN"] },
    { current: ["Post Nord", "PN"], add: [], remove: ["post nord"], out: ["PN"] },
    { current: ["budbee ab"], add: ["Budbee AB"], remove: ["budbee ab"], out: ["Budbee AB"] },
    { current: [], add: ["", "  "], remove: [], out: [] },
  ])("$current + $add - $remove = $out", ({ current, add, remove, out }) => {
    expect(editList(current, add, remove, "alias")).toEqual(out);
  });

  it("removing what is not there is a usage error naming it", () => {
    expect(() => editList(["PN"], [], ["Posten", "pn"], "alias")).toThrow('no alias "Posten" to remove');
  });
});
