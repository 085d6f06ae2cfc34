import { createRequire } from "node:module";
import type { Font } from "fontkit";

// The invoice PDF's font, Roboto as pdfmake ships it, read with fontkit (which pdfmake's pdfkit
// uses too): what it measures and which characters it has. Loaded on first use only, by the
// commands that handle invoices: cron's idle paths never read a font.

const req = createRequire(import.meta.url);

/** The Roboto files pdfmake ships, by pdfmake's style names (bold is Roboto Medium). */
export interface RobotoFiles {
  normal: string;
  bold: string;
  italics: string;
  bolditalics: string;
}

/** The absolute paths of pdfmake's Roboto files. */
export function robotoFiles(): RobotoFiles {
  return (req(req.resolve("pdfmake/fonts/Roboto")) as { Roboto: RobotoFiles }).Roboto;
}

let opened: { normal: Font; bold: Font } | undefined;

function roboto(): { normal: Font; bold: Font } {
  if (!opened) {
    const fontkit = req("fontkit") as typeof import("fontkit");
    const files = robotoFiles();
    opened = { normal: fontkit.openSync(files.normal) as Font, bold: fontkit.openSync(files.bold) as Font };
  }
  return opened;
}

/** How wide a text is set in the PDF's font, in points. */
export type TextMeasure = (text: string, o: { size: number; bold?: boolean }) => number;

/** Measures text as Roboto sets it (advance widths with the font's kerning). */
export function robotoMeasure(): TextMeasure {
  const fonts = roboto();
  return (text, o) => {
    const font = o.bold ? fonts.bold : fonts.normal;
    return (font.layout(text).advanceWidth / font.unitsPerEm) * o.size;
  };
}

/** Line breaks and tabs: layout, not glyphs. */
const LAYOUT = new Set([0x0a, 0x0d, 0x09]);

/**
 * The first character of `text` the PDF cannot show (Roboto, regular or bold, has no glyph for
 * it: pdfkit would leave it out without a word), or undefined when every one is there.
 */
export function firstUnprintable(text: string): string | undefined {
  const { normal, bold } = roboto();
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (LAYOUT.has(code)) continue;
    if (!normal.hasGlyphForCodePoint(code) || !bold.hasGlyphForCodePoint(code)) return char;
  }
  return undefined;
}

/** A text an invoice PDF shows, and the field or option it came from (for the message). */
export type PrintedText = readonly [field: string, text: string | null | undefined];

/**
 * Why the first of `texts` with a character the PDF cannot show is refused, naming its field and
 * the character; undefined when the PDF can show them all. A legal document must not lose text.
 */
export function unprintable(texts: Iterable<PrintedText>): string | undefined {
  for (const [field, text] of texts) {
    const char = text ? firstUnprintable(text) : undefined;
    if (char !== undefined) {
      const code = (char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0");
      return `${field}: "${char}" (U+${code}) cannot be printed on the invoice PDF (its font, Roboto, has no glyph for it)`;
    }
  }
  return undefined;
}
