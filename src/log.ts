import { createConsola, type ConsolaInstance } from "consola";

export interface LogOptions {
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
}

/**
 * Diagnostics go to stderr. Under cron (stderr not a TTY) only warnings and errors are shown,
 * so a successful run prints nothing and cron mails only failures. LEADJOBS_LOG_LEVEL (0-5) wins.
 */
export function createLogger(o: LogOptions, env = process.env, tty = Boolean(process.stderr.isTTY)): ConsolaInstance {
  const fromEnv = env.LEADJOBS_LOG_LEVEL !== undefined && env.LEADJOBS_LOG_LEVEL !== "" ? Number(env.LEADJOBS_LOG_LEVEL) : undefined;
  const level = fromEnv ?? (o.verbose ? 4 : o.quiet ? 0 : tty ? 3 : 1);
  return createConsola({
    level,
    stdout: process.stderr,
    stderr: process.stderr,
    fancy: tty && !env.NO_COLOR,
    formatOptions: { date: !tty, colors: tty && !env.NO_COLOR, compact: true },
  });
}
