import { execFileSync, spawnSync } from "node:child_process";

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
