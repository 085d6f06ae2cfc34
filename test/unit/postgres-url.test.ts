import { describe, expect, it } from "vitest";
import { pgConnectionAttempts, searchPathOf } from "../../src/core/db/url.ts";

describe("PostgreSQL URLs as leadjobs reads them", () => {
  it.each([
    ["postgres://u@h/db", "postgres://u@h/db"],
    ["postgres://u@h/db?sslmode=require", "postgres://u@h/db?sslmode=verify-full"],
    ["postgres://u@h/db?sslmode=verify-ca&application_name=x", "postgres://u@h/db?sslmode=verify-full&application_name=x"],
    ["postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable"],
    ["postgres://u@h/db?uselibpqcompat=true&sslmode=require", "postgres://u@h/db?uselibpqcompat=true&sslmode=require"],
  ])("%s goes to node-postgres as %s (pg's meaning, named so it prints no warning)", (url, expected) => {
    expect(pgConnectionAttempts(url)).toEqual({ first: expected });
  });

  it("sslmode=prefer tries SSL (unverified, as libpq) and falls back to a plain connection when the server has no SSL", () => {
    expect(pgConnectionAttempts("postgres://u@h/db?sslmode=prefer&application_name=x")).toEqual({
      first: "postgres://u@h/db?sslmode=no-verify&application_name=x",
      fallback: { connectionString: "postgres://u@h/db?sslmode=disable&application_name=x", when: "no-ssl" },
    });
  });

  it("sslmode=allow connects plainly and tries SSL only when the server refuses that", () => {
    expect(pgConnectionAttempts("postgres://u@h/db?sslmode=allow&uselibpqcompat=true")).toEqual({
      first: "postgres://u@h/db?sslmode=disable",
      fallback: { connectionString: "postgres://u@h/db?sslmode=no-verify", when: "refused" },
    });
  });

  it.each(["bogus", "DISABLE", "Prefer", ""])("sslmode=%s is refused as libpq refuses it: one line, exit 2", (mode) => {
    const attempt = () => pgConnectionAttempts(`postgres://u@h/db?sslmode=${mode}`);
    expect(attempt).toThrow(`invalid sslmode value "${mode}" in the URL (one of: disable, allow, prefer, require, verify-ca, verify-full)`);
    expect(attempt).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it.each(["sslrootcert", "sslcert", "sslkey"])("an unreadable %s file is named, exit 2 (not pg's ENOENT, exit 70)", (key) => {
    const attempt = () => pgConnectionAttempts(`postgres://u@h/db?sslmode=verify-ca&${key}=/nonexistent/x.pem`);
    expect(attempt).toThrow(`cannot read the URL's ${key} file /nonexistent/x.pem (no such file or directory)`);
    expect(attempt).toThrow(expect.objectContaining({ exitCode: 2 }));
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
