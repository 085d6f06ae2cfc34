import { createRequire } from "node:module";
import type { ConsolaInstance } from "consola";
import type { Logger } from "./core/types.ts";

export interface LogOptions {
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
}

const LEVEL = { error: 0, warn: 1, info: 3, debug: 4 } as const;

/**
 * Diagnostics go to stderr. Under cron (stderr not a TTY) only warnings and errors are shown,
 * so a successful run prints nothing and cron mails only failures. LEADJOBS_LOG_LEVEL (0-5) wins.
 * consola is loaded on the first line that is actually printed: most cron runs print none,
 * and every millisecond of start-up counts when cron starts leadjobs every minute.
 */
export function createLogger(o: LogOptions, env = process.env, tty = Boolean(process.stderr.isTTY)): Logger {
  // A value that is not a level (LEADJOBS_LOG_LEVEL=debug) is ignored rather than silencing even errors.
  const raw = env.LEADJOBS_LOG_LEVEL?.trim();
  const fromEnv = raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const level = fromEnv ?? (o.verbose ? 4 : o.quiet ? 0 : tty ? 3 : 1);
  let consola: ConsolaInstance | undefined;
  const root = (): ConsolaInstance => {
    if (!consola) {
      const { createConsola } = createRequire(import.meta.url)("consola") as typeof import("consola");
      consola = createConsola({
        level,
        stdout: process.stderr,
        stderr: process.stderr,
        fancy: tty && !env.NO_COLOR,
        formatOptions: { date: !tty, colors: tty && !env.NO_COLOR, compact: true },
      });
    }
    return consola;
  };
  const make = (tag: string | undefined): Logger => {
    let tagged: ConsolaInstance | undefined;
    const out = () => (tagged ??= tag === undefined ? root() : root().withTag(tag));
    const at =
      (min: number, method: "error" | "warn" | "info" | "debug") =>
      (message: string, ...args: unknown[]) => {
        if (level >= min) out()[method](message, ...args);
      };
    return {
      error: at(LEVEL.error, "error"),
      warn: at(LEVEL.warn, "warn"),
      info: at(LEVEL.info, "info"),
      debug: at(LEVEL.debug, "debug"),
      withTag: (t) => make(tag === undefined ? t : `${tag}:${t}`),
    };
  };
  return make(undefined);
}
