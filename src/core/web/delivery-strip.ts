// Carriers shown only as icons in a delivery-partner strip (often in the footer): an inline
// <svg id="postnord">, an <img> whose alt reads "Leverans med PostNord". Outside such a strip an
// svg id says nothing (id="bring-me-back" is an arrow), so only a strip under a heading about
// delivery is read.
import { decodeEntities, parseAttributes } from "./html.ts";

/** A heading (or a block titled like one) about delivery, in the languages of our market. */
const HEADING =
  /<(h[1-6]|strong|p|span|div|dt|li)\b((?:[^>"']|"[^"]*"|'[^']*')*)>((?:(?!<\/?(?:h[1-6]|p|div|li|ul|section|footer)\b)[\s\S]){1,120}?)<\/\1\s*>/gi;
const DELIVERY_WORDS =
  /^(?:(?:our |våra |vores |meidän )?(?:delivery|shipping|ship with|leverans|leveranser|leveranssätt|leveransalternativ|leveranspartners?|frakt|fraktsätt|fraktalternativ|fraktpartners?|fragt|fragtpartnere|levering|leveringsmetoder|leveringsmåter|leveringspartnere|toimitus|toimitustavat|toimituskumppanit|delivery (?:options|methods|partners)|shipping (?:options|methods|partners)))(?: ?(?:&|och|og|ja|and) ?(?:returer|retur|returns|palautukset|betalning|payment|maksutavat))?:?$/i;
const ANY_WORD = /deliver|shipping|ship with|leverans|frakt|fragt|levering|toimitu/i;
/** How far after the heading the strip may reach, and where it surely ends. */
const REACH = 4000;
const STRIP_END = /<\/(?:section|footer|ul|ol|nav|aside)\s*>|<h[1-6]\b/i;
const ICON = /<(svg|img)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const SVG_TITLE = /<title[^>]*>([^<]{1,60})<\/title>/i;
/** Words around a carrier's name in an id, file or alt text: not part of the name. */
const NOISE =
  /\b(?:icons?|ikon(?:er)?|logos?|logotyp(?:e|en)?|svg|sprite|partners?|footer|white|black|color|colour|mono|small|large|leverans|levering|frakt|toimitus|delivery|shipping|med|via|with|by|kautta)\b/gi;

/**
 * The names the icons of delivery strips carry, as image names the carrier fingerprints read:
 * an svg's id, class, aria-label or title as `inline-svg/NAME.svg` and as text, an image's alt
 * with the words around the name removed.
 */
export function deliveryStripNames(html: string): string[] {
  const out = new Set<string>();
  if (!ANY_WORD.test(html)) return [];
  HEADING.lastIndex = 0;
  for (let m = HEADING.exec(html); m; m = HEADING.exec(html)) {
    const title = decodeEntities((m[3] as string).replace(/<[^>]*>/g, " "))
      .replace(/\s+/g, " ")
      .trim();
    if (!DELIVERY_WORDS.test(title)) continue;
    const after = html.slice(HEADING.lastIndex, HEADING.lastIndex + REACH);
    const end = after.search(STRIP_END);
    const strip = end < 0 ? after : after.slice(0, end);
    ICON.lastIndex = 0;
    for (let i = ICON.exec(strip); i; i = ICON.exec(strip)) {
      const a = parseAttributes(i[2] as string);
      if ((i[1] as string).toLowerCase() === "svg") {
        const svgTitle = SVG_TITLE.exec(strip.slice(ICON.lastIndex, ICON.lastIndex + 400))?.[1];
        for (const v of [a.get("id"), a.get("aria-label"), svgTitle, ...(a.get("class") ?? "").split(/\s+/)]) {
          const name = clean(v);
          if (name) {
            out.add(`inline-svg/${name.replace(/ /g, "-")}.svg`);
            out.add(name);
          }
        }
      } else {
        for (const v of [a.get("alt"), a.get("title")]) {
          const name = clean(v);
          if (name) out.add(name);
        }
      }
    }
  }
  return [...out];
}

function clean(v: string | undefined): string {
  if (!v) return "";
  return v.replace(/[_-]+/g, " ").replace(NOISE, " ").replace(/\s+/g, " ").trim();
}
