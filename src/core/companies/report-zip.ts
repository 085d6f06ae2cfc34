import type { Entry, ZipFile } from "yauzl";
import { loadYauzl } from "../util/yauzl.ts";

/** The largest report read out of a ZIP (an iXBRL annual report is well below 10 MB). */
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The annual report (the .xhtml/.html entry) in a ZIP as Bolagsverket's `dokument` serves it,
 * read with yauzl; its text decoded by the encoding its XML declaration names (UTF-8 if none).
 * Throws an Error saying what is wrong with the archive.
 */
export async function reportFromZip(zip: Buffer): Promise<{ name: string; xhtml: string }> {
  const yauzl = await loadYauzl();
  const archive = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
  ).catch((e: unknown) => {
    throw new Error(`the document is not a readable ZIP (${(e as Error).message})`);
  });
  try {
    const entry = await new Promise<Entry | null>((resolve, reject) => {
      archive.on("error", reject);
      archive.on("entry", (e: Entry) => (/\.x?html?$/i.test(e.fileName) ? resolve(e) : archive.readEntry()));
      archive.on("end", () => resolve(null));
      archive.readEntry();
    });
    if (!entry) throw new Error("the ZIP holds no .xhtml report");
    if (entry.uncompressedSize > MAX_BYTES) throw new Error(`${entry.fileName} is larger than ${MAX_BYTES / 1024 / 1024} MB`);
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      archive.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", reject);
        stream.on("end", () => resolve(Buffer.concat(chunks)));
      }),
    );
    const declared = /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(bytes.subarray(0, 200).toString("latin1"))?.[1]?.toLowerCase();
    const latin1 = declared === "iso-8859-1" || declared === "latin1" || declared === "windows-1252";
    return { name: entry.fileName, xhtml: bytes.toString(latin1 ? "latin1" : "utf8") };
  } finally {
    archive.close();
  }
}
