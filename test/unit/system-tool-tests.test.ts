import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// `npm test` on a machine with only Node skips, with one line, each test that needs a system
// program (requireTools, test/helpers/system.ts). The PDF helpers run poppler and qpdf: a test
// file that uses them without requireTools fails there with ENOENT instead.
const TEST = join(import.meta.dirname, "..");
const PDF_HELPERS = /from "\.\.\/helpers\/pdf\.ts"/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
}

describe("tests that run system programs", () => {
  it("every test file that reads PDFs with poppler or qpdf asks for them with requireTools", () => {
    const users = testFiles(TEST).filter((f) => PDF_HELPERS.test(readFileSync(f, "utf8")));
    expect(users.length).toBeGreaterThan(0);
    const unguarded = users.filter((f) => !readFileSync(f, "utf8").includes("requireTools(")).map((f) => relative(TEST, f));
    expect(unguarded).toEqual([]);
  });
});
