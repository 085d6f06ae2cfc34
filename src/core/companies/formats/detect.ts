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
  const decodedFirst = (validUtf8 ? firstRaw.toString("utf8") : firstRaw.toString("latin1")).replace(/^\uFEFF/, "").replace(/\r$/, "");

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
      const shown = decodedFirst.length > 80 ? `${decodedFirst.slice(0, 80)}…` : decodedFirst;
      throw new UsageError(`unrecognised file format (first line: "${shown}")`, {
        hint: "expected Bolagsverket's bulk file, SCB's bulk file, or a CSV whose header has an orgnr column",
      });
    }
    format = "csv";
    delimiter = d;
  }
  const chosen: TextEncodingName = encoding ?? (!validUtf8 ? "latin1" : format === "scb" && ascii ? "latin1" : "utf8");
  const firstLine = (chosen === "utf8" ? firstRaw.toString("utf8") : firstRaw.toString("latin1")).replace(/^\uFEFF/, "").replace(/\r$/, "");
  return delimiter === undefined ? { format, encoding: chosen, hasHeader, firstLine } : { format, encoding: chosen, hasHeader, delimiter, firstLine };
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
