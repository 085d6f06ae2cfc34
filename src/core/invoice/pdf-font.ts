import { createRequire } from "node:module";
import type { Font } from "fontkit";

// The invoice PDF's font, Roboto as pdfmake ships it, read with fontkit (which pdfmake's pdfkit
// uses too): what it measures. Loaded on first use only, by the
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
