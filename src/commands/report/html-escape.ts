// HTML built with a tagged template that escapes every interpolated value unless it is already
// Html: a lead called `<script>alert(1)</script>` can only ever become text.

/** A fragment of markup that is safe to insert as is. */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text and attribute values: & < > " ' become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function piece(v: Value): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(piece).join("");
  if (v === null || v === undefined || v === false || v === true) return "";
  return escapeHtml(String(v));
}

/** html`<td>${name}</td>`: strings and numbers are escaped, Html fragments and arrays of them are inserted. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] as string;
  values.forEach((v, i) => {
    out += piece(v) + (strings[i + 1] as string);
  });
  return new Html(out);
}
