import { execFileSync, spawnSync } from "node:child_process";
import { Parser } from "htmlparser2";

/** The text of a PDF by poppler's pdftotext (non-breaking spaces made plain). */
export function pdfText(path: string, layout = false): string {
  return execFileSync("pdftotext", [...(layout ? ["-layout"] : []), "-enc", "UTF-8", path, "-"], { encoding: "utf8" }).replace(
    /\u00a0/g,
    " ",
  );
}

/** The page count pdfinfo reports. */
export function pdfPages(path: string): number {
  const info = execFileSync("pdfinfo", [path], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** qpdf --check: structure and streams; exit 0 when fine. */
export function qpdfCheck(path: string): { code: number | null; out: string } {
  const r = spawnSync("qpdf", ["--check", path], { encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** The fonts pdffonts lists: name and whether it is embedded. */
export function pdfFonts(path: string): Array<{ name: string; embedded: boolean }> {
  const lines = execFileSync("pdffonts", [path], { encoding: "utf8" })
    .split("\n")
    .slice(2)
    .filter((l) => l.trim() !== "");
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type... encoding emb sub uni object ID: emb is the 5th column from the end
    return { name: cols[0] ?? "", embedded: cols[cols.length - 5] === "yes" };
  });
}

/** A word pdftotext -bbox found, with its box in points (origin top left) and its page's size. */
export interface PdfWord {
  text: string;
  page: number;
  xMin: number;
  xMax: number;
  pageWidth: number;
}

/** Every word of a PDF with where it lies on its page (pdftotext -bbox, read with htmlparser2). */
export function pdfWords(path: string): PdfWord[] {
  const html = execFileSync("pdftotext", ["-bbox", "-enc", "UTF-8", path, "-"], { encoding: "utf8" });
  const words: PdfWord[] = [];
  let page = 0;
  let pageWidth = 0;
  let current: PdfWord | undefined;
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === "page") {
        page += 1;
        pageWidth = Number(attrs.width);
      } else if (name === "word") {
        current = { text: "", page, xMin: Number(attrs.xmin), xMax: Number(attrs.xmax), pageWidth };
      }
    },
    ontext(text) {
      if (current) current.text += text;
    },
    onclosetag(name) {
      if (name === "word" && current) words.push(current);
      if (name === "word") current = undefined;
    },
  });
  parser.end(html);
  return words;
}
