import type { Writable } from "node:stream";
import { plainTable } from "./plain-table.ts";

export const stdoutIsTty = (): boolean => Boolean(process.stdout.isTTY);
export const useColor = (): boolean => stdoutIsTty() && !process.env.NO_COLOR;

/** One JSON document on stdout (the stable, scriptable form of every command). */
export function printJson(data: unknown, out: Writable = process.stdout): void {
  out.write(`${JSON.stringify(data, null, 2)}\n`);
}

export function printLine(text: string, out: Writable = process.stdout): void {
  out.write(`${text}\n`);
}

const BORDERLESS = Object.fromEntries(
  [
    "top",
    "top-mid",
    "top-left",
    "top-right",
    "bottom",
    "bottom-mid",
    "bottom-left",
    "bottom-right",
    "left",
    "left-mid",
    "mid",
    "mid-mid",
    "right",
    "right-mid",
    "middle",
  ].map((k) => [k, ""]),
);

export type Cell = string | number | null | undefined;

/** A table for humans (plain padding when every cell is plain text, else cli-table3, loaded only then). */
export async function printTable(head: string[], rows: Cell[][], out: Writable = process.stdout): Promise<void> {
  const heads = head.map((h) => (useColor() ? bold(h) : h.toUpperCase()));
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? "-" : String(c))));
  out.write(plainTable(heads, cells) ?? (await cliTable(heads, cells)));
}

/** The table as cli-table3 lays it out: borderless, two spaces between columns, lines trimmed at the end. */
export async function cliTable(head: string[], rows: string[][]): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const table = new Table({ head, style: { head: [], border: [], "padding-left": 0, "padding-right": 2 }, chars: BORDERLESS });
  for (const r of rows) table.push(r);
  return `${table
    .toString()
    .split("\n")
    .map((l: string) => l.trimEnd())
    .join("\n")}\n`;
}

/** `key  value` lines with the values aligned, under a heading (one record, as `jobs show` prints it). */
export function printFields(fields: ReadonlyArray<readonly [string, string]>, out: Writable = process.stdout): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) printLine(`  ${k.padEnd(width)}  ${v}`, out);
}

export function bold(text: string): string {
  return useColor() ? `\u001b[1m${text}\u001b[22m` : text;
}

export function truncate(text: string | null | undefined, max: number): string {
  if (!text) return "-";
  const one = text.replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * A reader that went away (`leadjobs jobs list | head`) is not an error of ours: the rest of the
 * output is dropped and the command finishes (closing the database) with its own exit code.
 */
export function ignoreClosedStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
  });
}
