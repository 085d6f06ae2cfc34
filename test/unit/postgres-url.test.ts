import { describe, expect, it } from "vitest";
import { pgConnectionString, searchPathOf } from "../../src/core/db/url.ts";

describe("PostgreSQL URLs as leadjobs reads them", () => {
  it.each([
    ["postgres://u@h/db", "postgres://u@h/db"],
    ["postgres://u@h/db?sslmode=require", "postgres://u@h/db?sslmode=verify-full"],
    ["postgres://u@h/db?sslmode=prefer&application_name=x", "postgres://u@h/db?sslmode=verify-full&application_name=x"],
    ["postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable"],
    ["postgres://u@h/db?uselibpqcompat=true&sslmode=require", "postgres://u@h/db?uselibpqcompat=true&sslmode=require"],
  ])("%s goes to node-postgres as %s (pg's meaning, named so it prints no warning)", (url, expected) => {
    expect(pgConnectionString(url)).toBe(expected);
  });

  it.each([
    ["postgres://u@h/db?options=-c%20search_path%3Dleadjobs", "leadjobs"],
    ["postgres://u@h/db?options=--search_path%3Da,b", "a,b"],
    ["postgres://u@h/db?options=-c%20statement_timeout%3D5s", undefined],
    ["postgres://u@h/db", undefined],
  ])("the search_path of %s is %s", (url, expected) => {
    expect(searchPathOf(url)).toBe(expected);
  });
});
