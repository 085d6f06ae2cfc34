import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { UsageError } from "../errors.ts";

/** Where an import reads from: a text file, or the text file inside a .zip (as published). */
export interface ImportSource {
  /** Shown in reports: the file name (and the entry, for a zip). */
  name: string;
  /** Bytes of text to read, when known (for progress). */
  size: number | null;
  /** The first `bytes` bytes of the text (format and encoding detection). */
  sample(bytes: number): Promise<Buffer>;
  /** The text, as a byte stream. */
  open(): Readable;
}

export async function fileSource(path: string): Promise<ImportSource> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error("not a regular file");
    size = s.size;
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const head = await readAt(path, 0, 4);
  if (head.readUInt32LE(0) === 0x04034b50) return zipSource(path, size);
  return {
    name: path,
    size,
    sample: (bytes) => readAt(path, 0, Math.min(bytes, size)),
    open: () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first .txt/.csv entry of a zip (Bolagsverket and SCB publish their files zipped), streamed and inflated. */
async function zipSource(path: string, fileSize: number): Promise<ImportSource> {
  const tailLength = Math.min(fileSize, 65_557);
  const tail = await readAt(path, fileSize - tailLength, tailLength);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new UsageError(`${path} is not a readable zip file (no end of central directory)`);
  const entries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff) throw new UsageError(`${path} is a ZIP64 archive; unzip it and import the text file`);
  const cd = await readAt(path, cdOffset, cdSize);
  const found: Array<{ name: string; method: number; csize: number; usize: number; offset: number }> = [];
  for (let p = 0, i = 0; i < entries && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) break;
    const nameLen = cd.readUInt16LE(p + 28);
    const name = cd.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    found.push({ name, method: cd.readUInt16LE(p + 10), csize: cd.readUInt32LE(p + 20), usize: cd.readUInt32LE(p + 24), offset: cd.readUInt32LE(p + 42) });
    p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  const entry = found.find((e) => /\.(txt|csv|tsv)$/i.test(e.name)) ?? found.find((e) => !e.name.endsWith("/"));
  if (!entry) throw new UsageError(`${path}: the zip holds no file`);
  if (entry.method !== 0 && entry.method !== 8) throw new UsageError(`${path}: ${entry.name} is compressed with method ${entry.method}; unzip it first`);
  const local = await readAt(path, entry.offset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new UsageError(`${path}: corrupt zip (bad local header)`);
  const dataStart = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const openEntry = (): Readable => {
    const raw = createReadStream(path, { start: dataStart, end: dataStart + entry.csize - 1, highWaterMark: 1 << 20 });
    if (entry.method === 0) return raw;
    const inflate = createInflateRaw({ chunkSize: 1 << 20 });
    raw.on("error", (e) => inflate.destroy(e));
    return raw.pipe(inflate);
  };
  return {
    name: `${basename(path)}:${entry.name}`,
    size: entry.usize,
    open: openEntry,
    sample: async (bytes) => {
      const chunks: Buffer[] = [];
      let total = 0;
      const stream = openEntry();
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
        if (total >= bytes) break;
      }
      stream.destroy();
      return Buffer.concat(chunks).subarray(0, bytes);
    },
  };
}
