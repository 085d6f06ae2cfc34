// Small SVG charts for `report html`, written here rather than taken from a chart library:
// - size: these five shapes (stacked columns, horizontal bars, lines, a run strip, a progress
//   bar) are ~200 lines; server-side chart libraries (vega, chart.js + a canvas, echarts' SSR)
//   weigh megabytes and some need a native canvas;
// - cold start: cron runs `report html` every 5 minutes on a Raspberry Pi, and nothing here
//   has to be loaded but this file;
// - no dependency to audit or keep up to date, and the output is plain inline SVG that needs
//   no script, no font and no request: colours come from the page's CSS classes (c-*, s0-s7),
//   so light and dark follow `prefers-color-scheme`.
// Every text passes through `html`, which escapes what it interpolates.
import { html, type Html } from "./html-escape.ts";

/** Series colours: CSS classes the page defines (c-ok, c-fail, c-dead, c-miss, c-co, c-pend, s0..s7). */
export type ColourClass = string;

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));

/** Stacked columns, one per bucket (e.g. per hour), with the y maximum and a few x labels. */
export function stackedColumns(o: {
  title: string;
  /** `label` under the axis (empty: none), `title` in the tooltip (default: the label). */
  buckets: Array<{ label: string; title?: string; values: number[] }>;
  series: Array<{ name: string; cls: ColourClass }>;
}): Html {
  const W = 480,
    H = 160,
    left = 30,
    bottom = 20,
    top = 8;
  const plotW = W - left - 4,
    plotH = H - top - bottom;
  const max = Math.max(1, ...o.buckets.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const n = Math.max(1, o.buckets.length);
  const colW = plotW / n;
  const rects: Html[] = [];
  o.buckets.forEach((b, i) => {
    let y = top + plotH;
    b.values.forEach((v, k) => {
      if (v <= 0) return;
      const h = (v / max) * plotH;
      y -= h;
      rects.push(
        html`<rect class="${o.series[k]?.cls ?? "s0"}" x="${(left + i * colW).toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(1.5, colW - (colW > 3 ? 1 : 0)).toFixed(2)}" height="${h.toFixed(2)}"><title>${b.title ?? b.label}: ${v} ${o.series[k]?.name ?? ""}</title></rect>`,
      );
    });
  });
  // At most about seven labels, at least 60 units apart, so they never overlap.
  let lastX = -Infinity;
  const labels = o.buckets.map((b, i) => {
    const x = left + i * colW;
    if (b.label === "" || x - lastX < 60 || x > W - 30) return html``;
    lastX = x;
    return html`<text class="axis" x="${x.toFixed(1)}" y="${H - 6}">${b.label}</text>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}"><title>${o.title}</title>
<line class="grid" x1="${left}" y1="${top}" x2="${W - 4}" y2="${top}"/><line class="grid" x1="${left}" y1="${top + plotH}" x2="${W - 4}" y2="${top + plotH}"/>
<text class="axis" x="${left - 4}" y="${top + 8}" text-anchor="end">${fmt(max)}</text><text class="axis" x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>
${rects}${labels}</svg>`;
}

/** Horizontal bars with their labels and values, longest first as given. */
export function horizontalBars(o: {
  title: string;
  items: Array<{ label: string; value: number; text?: string }>;
  cls?: ColourClass;
}): Html {
  const W = 360,
    row = 22,
    labelW = 130;
  const H = Math.max(1, o.items.length) * row + 4;
  const max = Math.max(1, ...o.items.map((i) => i.value));
  const bars = o.items.map((it, k) => {
    const y = 2 + k * row;
    const w = Math.max(1, (it.value / max) * (W - labelW - 50));
    return html`<text class="lbl" x="${labelW - 6}" y="${y + 15}" text-anchor="end">${clip(it.label, 20)}</text>
<rect class="${o.cls ?? "s0"}" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 7}" rx="2"><title>${it.label}: ${it.text ?? it.value}</title></rect>
<text class="val" x="${(labelW + w + 4).toFixed(1)}" y="${y + 15}">${it.text ?? String(it.value)}</text>`;
  });
  return html`<svg class="chart bars" viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}"><title>${o.title}</title>${bars}</svg>`;
}

/** Lines over shared x labels; null leaves a gap. `invert` draws low values at the top (positions: 1 is best). */
export function lineChart(o: {
  title: string;
  xLabels: string[];
  series: Array<{ name: string; cls: ColourClass; points: Array<number | null> }>;
  min: number;
  max: number;
  format: (v: number) => string;
  invert?: boolean;
}): Html {
  const W = 360,
    H = 150,
    left = 36,
    right = 8,
    top = 8,
    bottom = 20;
  const plotW = W - left - right,
    plotH = H - top - bottom;
  const n = Math.max(1, o.xLabels.length);
  const x = (i: number) => left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const span = o.max - o.min || 1;
  const y = (v: number) => {
    const f = (v - o.min) / span;
    return top + (o.invert ? f : 1 - f) * plotH;
  };
  const lines = o.series.map((s) => {
    const segments: string[] = [];
    let current: string[] = [];
    s.points.forEach((v, i) => {
      if (v === null) {
        if (current.length) segments.push(current.join(" "));
        current = [];
      } else current.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    if (current.length) segments.push(current.join(" "));
    const dots = s.points.map((v, i) =>
      v === null
        ? html``
        : html`<circle class="${s.cls}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5"><title>${s.name}, ${o.xLabels[i] ?? ""}: ${o.format(v)}</title></circle>`,
    );
    return html`<g class="line ${s.cls}">${segments.map((p) => html`<polyline points="${p}"/>`)}${dots}</g>`;
  });
  const first = o.xLabels[0] ?? "",
    last = o.xLabels[n - 1] ?? "";
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}"><title>${o.title}</title>
<line class="grid" x1="${left}" y1="${top}" x2="${W - right}" y2="${top}"/><line class="grid" x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}"/>
<text class="axis" x="${left - 4}" y="${top + 8}" text-anchor="end">${o.format(o.invert ? o.min : o.max)}</text>
<text class="axis" x="${left - 4}" y="${top + plotH}" text-anchor="end">${o.format(o.invert ? o.max : o.min)}</text>
<text class="axis" x="${left}" y="${H - 5}">${first}</text><text class="axis" x="${W - right}" y="${H - 5}" text-anchor="end">${n > 1 ? last : ""}</text>
${lines}</svg>`;
}

/** One square per fire, oldest left; each with its time and note as a tooltip. */
export function runStrip(o: { title: string; marks: Array<{ cls: ColourClass; title: string }> }): Html {
  const size = 10,
    gap = 3;
  const W = Math.max(1, o.marks.length) * (size + gap);
  const cells = o.marks.map(
    (m, i) =>
      html`<rect class="${m.cls}" x="${i * (size + gap)}" y="0" width="${size}" height="${size}" rx="2"><title>${m.title}</title></rect>`,
  );
  return html`<svg class="strip" width="${W}" height="${size}" viewBox="0 0 ${W} ${size}" role="img" aria-label="${o.title}"><title>${o.title}</title>${cells}</svg>`;
}

/** A progress bar made of segments (ok, failed, blocked, the rest still to do). */
export function progressBar(o: { title: string; total: number; segments: Array<{ n: number; cls: ColourClass; name: string }> }): Html {
  const W = 300,
    H = 12;
  let x = 0;
  const parts = o.segments.map((s) => {
    if (s.n <= 0 || o.total <= 0) return html``;
    const w = (s.n / o.total) * W;
    const r = html`<rect class="${s.cls}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="${H}"><title>${s.n} ${s.name}</title></rect>`;
    x += w;
    return r;
  });
  return html`<svg class="progress" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${o.title}"><title>${o.title}</title><rect class="track" x="0" y="0" width="${W}" height="${H}"/>${parts}</svg>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
