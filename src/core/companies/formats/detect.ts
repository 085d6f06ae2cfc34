import type { ImportFormat } from "../schema.ts";
import { UsageError } from "../../errors.ts";
import { isBolagsverketHeader, looksLikeBolagsverketRow } from "./bolagsverket.ts";
import { csvDelimiter } from "./csv.ts";
import { isScbHeader } from "./scb.ts";

export const ENCODINGS = ["utf8", "latin1"] as const;
export type TextEncodingName = (typeof ENCODINGS)[number];

export interface DetectedFormat {
  format: ImportFormat;
  encoding: TextEncodingName;
  /** The first line is a header (and not data). */
  hasHeader: boolean;
  /** For CSV: the field delimiter. */
  delimiter?: string;
  /** The first line, decoded. */
  firstLine: string;
}

/**
 * Decides the format from the first line and the encoding from the bytes of a sample from the
 * start of the file: UTF-8 when the sample is valid UTF-8 (and, for SCB's file, has some
 * non-ASCII text; SCB publishes ISO-8859-1), otherwise latin1. `encoding` overrides.
 */
export function detectFormat(sample: Buffer, encoding?: TextEncodingName): DetectedFormat {
  const end = sample.lastIndexOf(0x0a);
  const whole = end >= 0 ? sample.subarray(0, end) : sample;
  const validUtf8 = isValidUtf8(whole);
  const ascii = !whole.some((b) => b >= 0x80);
  const firstEnd = sample.indexOf(0x0a);
  const firstRaw = sample.subarray(0, firstEnd >= 0 ? firstEnd : sample.length);
  const decodedFirst = decodeText(firstRaw, validUtf8 ? "utf8" : "latin1")
    .replace(/^\uFEFF/, "")
    .replace(/\r$/, "");

  let format: ImportFormat;
  let hasHeader = true;
  let delimiter: string | undefined;
  if (isBolagsverketHeader(decodedFirst)) format = "bolagsverket";
  else if (looksLikeBolagsverketRow(decodedFirst)) {
    format = "bolagsverket";
    hasHeader = false;
  } else if (isScbHeader(decodedFirst)) format = "scb";
  else {
    const d = csvDelimiter(decodedFirst);
    if (d === null) {
      const printable = decodedFirst.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
      const shown = printable.length > 80 ? `${printable.slice(0, 80)}…` : printable;
      throw new UsageError(`unrecognised file format (first line: "${shown}")`, {
        hint: "expected Bolagsverket's bulk file, SCB's bulk file, or a CSV whose header has an orgnr column",
      });
    }
    format = "csv";
    delimiter = d;
  }
  const chosen: TextEncodingName = encoding ?? (!validUtf8 ? "latin1" : format === "scb" && ascii ? "latin1" : "utf8");
  const firstLine = decodeText(firstRaw, chosen)
    .replace(/^\uFEFF/, "")
    .replace(/\r$/, "");
  return delimiter === undefined
    ? { format, encoding: chosen, hasHeader, firstLine }
    : { format, encoding: chosen, hasHeader, delimiter, firstLine };
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Windows-1252's characters at bytes 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ);
 * the five bytes it leaves undefined keep their Latin-1 code point, as the WHATWG decoder does.
 * Files that say Latin-1 are written by Windows and Excel in Windows-1252 (a superset), so "latin1"
 * is read as Windows-1252. Node's TextDecoder("windows-1252") decodes these bytes as Latin-1.
 */
const CP1252_HIGH =
  "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178";

/** Decodes bytes of a whole number of characters; "latin1" is read as Windows-1252. */
export function decodeText(bytes: Buffer, encoding: TextEncodingName): string {
  if (encoding === "utf8") return bytes.toString("utf8");
  const text = bytes.toString("latin1");
  return /[\x80-\x9f]/.test(text) ? text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string) : text;
}

/** A streaming decoder (a chunk may end inside a UTF-8 character); "latin1" is read as Windows-1252. */
export function textDecoder(encoding: TextEncodingName): { write(chunk: Buffer): string; end(): string } {
  if (encoding === "latin1") return { write: (chunk) => decodeText(chunk, "latin1"), end: () => "" };
  const d = new TextDecoder("utf-8");
  return { write: (chunk) => d.decode(chunk, { stream: true }), end: () => d.decode() };
}
