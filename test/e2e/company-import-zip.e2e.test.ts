import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";
import { zipFiles } from "../fakes/zip.ts";

// The bundled binary reads a zipped bulk file (yauzl is a default export only in the bundle).
describe("companies import of a .zip through the real binary", () => {
  it("imports the CSV inside the zip", async () => {
    const dir = tempDir();
    const zip = join(dir, "companies.zip");
    writeFileSync(zip, zipFiles([{ name: "companies.csv", data: "orgnr,name,status\n556016-0680,Zippad Logistik AB,active\n" }]));
    const r = await runCli(["companies", "import", zip, "--json"], join(dir, "zip.db"));
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: "csv", imported: 1, file: "companies.zip:companies.csv" });
  });

  it("an empty zip, a gzip file and a binary file: one line naming what is wrong, no control bytes echoed, exit 2", async () => {
    const dir = tempDir();
    const db = join(dir, "bad.db");
    const files: Array<[string, Buffer, (path: string) => string]> = [
      ["empty.zip", Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]), (p) => `${p}: the zip has no entries`],
      ["a.txt.gz", gzipSync("orgnr,name\n5560160680,Gzip AB\n"), (p) => `${p} is gzip-compressed: unpack it first (gunzip)`],
      ["a.bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x0a]), (p) => `${p} is not a text file (expected`],
      ["esc.txt", Buffer.from("\u001b[31mröd rad\nmer\n"), (p) => `${p} is not a text file (expected`],
      ["c1.txt", Buffer.from("röd\u0085\u000c rad\nmer\n"), () => 'unrecognised file format (first line: "röd?? rad")'],
    ];
    for (const [name, data, message] of files) {
      const path = join(dir, name);
      writeFileSync(path, data);
      const r = await runCli(["companies", "import", path], db);
      expect(r.code, name).toBe(2);
      expect(r.stderr.trim().split("\n"), name).toHaveLength(1);
      expect(r.stderr, name).toContain(`leadjobs: ${message(path)}`);
      expect(r.stderr, name).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it("--mark-missing with --no-mark-missing: one line, exit 2, nothing written", async () => {
    const dir = tempDir();
    const csv = join(dir, "c.csv");
    writeFileSync(csv, "orgnr,name\n556016-0680,Båda AB\n");
    const r = await runCli(["companies", "import", csv, "--mark-missing", "--no-mark-missing"], join(dir, "both.db"));
    expect([r.code, r.stderr]).toEqual([2, "leadjobs: use either --mark-missing or --no-mark-missing\n"]);
    expect(existsSync(join(dir, "both.db"))).toBe(false);
  });
});
