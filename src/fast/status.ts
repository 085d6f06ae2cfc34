// `status` without commander (built as its own file, dist/status.js, tried by bin/leadjobs for
// `status`): the same statusCommand, from one module instead of the CLI's grammar and forty chunks.
// It answers only a local SQLite file and the options it knows; anything else — and any error,
// which the full CLI then reports in its own words — returns undefined and the full CLI runs.
// status only reads, and prints once everything is read: running it again is safe.
import { existsSync, statSync } from "node:fs";
import { type StatusOptions, statusCommand } from "../commands/status.ts";
import { ignoreClosedStdout } from "../commands/shared/output.ts";
import { loadConfig } from "../commands/shared/settings.ts";
import { commandOptions, existingSqliteFile, globalOptions } from "./args.ts";

const VALUES = new Set(["--max-pending-age", "--max-worker-idle", "--dead-window", "--now"]);
const FLAGS = new Set(["--json", "--check"]);

export async function lightStatus(argv: readonly string[]): Promise<number | undefined> {
  try {
    const parsed = globalOptions(argv.slice(2));
    if (parsed.rest[0] !== "status") return undefined;
    const o = commandOptions(parsed.rest.slice(1), VALUES, FLAGS);
    if (!o || !existingSqliteFile(loadConfig(parsed.g).db, existsSync, (p) => statSync(p).size)) return undefined;
    ignoreClosedStdout(); // as main() does
    // As commander gives them: only the options given, flags as true.
    const opts = Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), FLAGS.has(k) ? true : v]));
    return await statusCommand(parsed.g, opts as StatusOptions);
  } catch {
    return undefined;
  }
}

/** `--max-pending-age` → `maxPendingAge`, as commander names an option. */
const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
