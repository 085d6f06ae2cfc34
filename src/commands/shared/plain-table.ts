// The common case of printTable without cli-table3: cli-table3 measures every cell with
// string-width, which builds and runs its emoji regex per cell (about 200 ms for a 50-row table
// on a cold start). When every cell is plain narrow text its layout is plain padding, so it is
// done here; any other text (ANSI colour, emoji, wide or combining characters, line breaks) is
// left to cli-table3.

/** Characters string-width counts as one column and that no emoji starts with. */
const NARROW = /^[\x20-\x7e\u00b7\u00c0-\u00ff\u2026]*$/;

/** The lines cli-table3 prints for this borderless table (padding-right 2), each trimmed at the end; undefined when it must measure. */
export function plainTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string | undefined {
  const all = [head, ...rows];
  if (rows.length === 0 || all.some((r) => r.length !== head.length || r.some((c) => !NARROW.test(c)))) return undefined;
  const widths = head.map((_, i) => all.reduce((w, r) => Math.max(w, (r[i] as string).length), 0)); // not Math.max(...): --all may list 150,000 rows
  return `${all
    .map((r) =>
      r
        .map((c, i) => c.padEnd((widths[i] as number) + 2))
        .join("")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
