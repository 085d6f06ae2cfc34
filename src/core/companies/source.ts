import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Transform, Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";
import type { Entry, ZipFile } from "yauzl";
import { UsageError } from "../errors.ts";
import { loadYauzl } from "../util/yauzl.ts";

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
  if (head.length === 4 && head.readUInt32LE(0) === 0x04034b50) return zipSource(path);
  // An empty zip is only its end record.
  if (head.length === 4 && head.readUInt32LE(0) === 0x06054b50) throw new UsageError(`${path}: the zip has no entries`);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
    throw new UsageError(`${path} is gzip-compressed: unpack it first (gunzip)`);
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

/**
 * The first .txt/.csv entry of a zip (Bolagsverket and SCB publish their files zipped), read with
 * yauzl (ZIP64 too) and inflated as a stream. The CRC-32 of what was read is checked against the
 * archive's: the whole entry is checked once before anything is imported, and again while it is
 * imported, so a damaged download is refused instead of imported half-garbled.
 */
async function zipSource(path: string): Promise<ImportSource> {
  const yauzl = await loadYauzl();
  const openZip = () =>
    new Promise<{ zip: ZipFile; entry: Entry }>((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
        if (err) return reject(new UsageError(`${path} is not a readable zip file (${err.message})`));
        let fallback: Entry | null = null;
        const done = (entry: Entry | null) => {
          if (entry) return resolve({ zip, entry });
          zip.close();
          reject(new UsageError(zip.entryCount === 0 ? `${path}: the zip has no entries` : `${path}: the zip holds no file`));
        };
        zip.on("error", (e: Error) => {
          zip.close();
          reject(new UsageError(`${path} is not a readable zip file (${e.message})`));
        });
        zip.on("entry", (entry: Entry) => {
          if (/\.(txt|csv|tsv)$/i.test(entry.fileName)) return done(entry);
          if (!fallback && !entry.fileName.endsWith("/")) fallback = entry;
          zip.readEntry();
        });
        zip.on("end", () => done(fallback));
        zip.readEntry();
      });
    });
  const { zip, entry } = await openZip();
  zip.close();
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw new UsageError(`${path}: ${entry.fileName} is compressed with method ${entry.compressionMethod}; unzip it first`);
  const corrupt = (why: string) => new UsageError(`${path}: ${entry.fileName} is corrupt (${why}); download the file again`);
  const openEntry = (): Readable => {
    let crc = 0;
    const checked = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        crc = crc32(chunk, crc);
        cb(null, chunk);
      },
      flush(cb) {
        cb(crc >>> 0 === entry.crc32 >>> 0 ? null : corrupt(`CRC-32 ${hex(crc)}, the zip says ${hex(entry.crc32)}`));
      },
    });
    openZip().then(
      ({ zip: z, entry: e }) => {
        z.openReadStream(e, (err, stream) => {
          z.close(); // the stream keeps the file open until it ends
          if (err) return checked.destroy(corrupt(err.message));
          stream.on("error", (e2: Error) => checked.destroy(e2 instanceof UsageError ? e2 : corrupt(e2.message)));
          stream.pipe(checked);
        });
      },
      (e: unknown) => checked.destroy(e as Error),
    );
    return checked;
  };
  await pipeline(openEntry(), new Writable({ write: (_chunk, _enc, cb) => cb() }));
  return {
    name: `${basename(path)}:${entry.fileName}`,
    size: entry.uncompressedSize,
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

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
