import type { GlobalOptions } from "../commands/shared/context.ts";

/** One option of argv for the fast path's own small parser (anything unusual: the full parser's). */
export interface FastOption {
  name: string;
  value?: string;
  /** The index of the option's last argument. */
  next: number;
}

/** `--name value`, `--name=value` (names in `withValue`) or a flag; undefined for a non-option. */
export function option(args: readonly string[], i: number, withValue: ReadonlySet<string>): FastOption | undefined {
  const arg = args[i] as string;
  if (!arg.startsWith("-")) return undefined;
  const eq = arg.indexOf("=");
  if (eq > 0 && withValue.has(arg.slice(0, eq))) return { name: arg.slice(0, eq), value: arg.slice(eq + 1), next: i };
  if (!withValue.has(arg)) return { name: arg, next: i };
  const value = args[i + 1];
  if (value === undefined || value.startsWith("-")) throw new Error("leave it to the full parser");
  return { name: arg, value, next: i + 1 };
}

const GLOBAL_VALUES = new Set(["--db", "--config"]);

/** The global options before the command (--db, --config, -q), and the rest; another option ends them. */
export function globalOptions(args: readonly string[]): { g: GlobalOptions; rest: string[] } {
  const g: GlobalOptions = {};
  let i = 0;
  for (; i < args.length; i++) {
    const opt = option(args, i, GLOBAL_VALUES);
    if (!opt) break;
    if (opt.name === "--db") g.db = opt.value;
    else if (opt.name === "--config") g.config = opt.value;
    else if (opt.name === "-q" || opt.name === "--quiet") g.quiet = true;
    else break;
    i = opt.next;
  }
  return { g, rest: args.slice(i) };
}

/** A command's options, when every one is known and given once: `--flag` → "", `--name v` → "v". */
export function commandOptions(args: readonly string[], withValue: ReadonlySet<string>, flags: ReadonlySet<string>) {
  const o: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const opt = option(args, i, withValue);
    if (!opt || opt.name in o || !(withValue.has(opt.name) || flags.has(opt.name))) return undefined;
    o[opt.name] = opt.value ?? "";
    i = opt.next;
  }
  return o;
}

/** A local SQLite file that exists and is not empty: anything else is the full path's to open or refuse. */
export function existingSqliteFile(db: string | undefined, exists: (p: string) => boolean, size: (p: string) => number): db is string {
  return Boolean(db) && db !== ":memory:" && !/^postgres(ql)?:/i.test(db as string) && exists(db as string) && size(db as string) > 0;
}
