import { dirname, resolve } from "node:path";
import type { TDocumentDefinitions } from "pdfmake/interfaces.js";
import { robotoFiles } from "./pdf-font.ts";

type PdfMake = typeof import("pdfmake");

let loading: Promise<PdfMake> | undefined;

/**
 * pdfmake 0.3 is a singleton: loaded (lazily: only the invoice job needs it) and configured once
 * per process, with the Roboto fonts it ships, no URL access and file access only to those fonts.
 */
function pdfmake(): Promise<PdfMake> {
  loading ??= (async () => {
    const mod = (await import("pdfmake")) as PdfMake & { default?: PdfMake };
    const pm = mod.default ?? mod;
    const fonts = robotoFiles();
    const fontDir = `${dirname(fonts.normal)}/`;
    pm.setUrlAccessPolicy(() => false);
    pm.setLocalAccessPolicy((path: string) => resolve(path).startsWith(fontDir));
    pm.setFonts({ Roboto: { ...fonts } });
    return pm;
  })();
  return loading;
}

export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const pm = await pdfmake();
  return pm.createPdf(doc).getBuffer();
}
