import { describe, expect, it } from "vitest";
import { plural } from "../../src/core/util/plural.ts";

describe("plural", () => {
  it.each([
    [0, "question", undefined, "0 questions"],
    [1, "question", undefined, "1 question"],
    [3, "question", undefined, "3 questions"],
    [1, "company", "companies", "1 company"],
    [2, "company", "companies", "2 companies"],
  ])("%i %s", (n, singular, pluralForm, text) => {
    expect(plural(n, singular, pluralForm)).toBe(text);
  });
});
