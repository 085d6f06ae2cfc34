import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
});
