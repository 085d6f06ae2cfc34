import { randomUUID } from "node:crypto";
import { mapDatabaseError } from "../../core/db/errors.ts";
import { ExitCode, LeadjobsError, errorMessage } from "../../core/errors.ts";
import { parsePingUrl, sendPing } from "../../core/integrations/ping.ts";
import { redactEnv } from "../../core/util/redact.ts";
import type { Config } from "../../core/config.ts";
import { loadConfig, type GlobalOptions } from "./context.ts";
import { createLogger } from "../../log.ts";

/**
 * Runs a command between dead man's switch pings (`--ping-url`): /start before, then success,
 * /<exit code> or /log (exit 75) after, with one run id. Without a URL it just runs.
 * A failed ping is logged (info) and never changes the exit code.
 */
export async function withPing(
  url: string | undefined,
  g: GlobalOptions,
  command: string,
  settings: () => Config,
  run: () => Promise<number>,
): Promise<number> {
  if (url === undefined) return run();
  const base = parsePingUrl(url);
  const timeoutMs = pingTimeout(g, settings);
  const log = createLogger(g);
  const runId = randomUUID();
  const ping = async (exitCode: number | null, body: string) => {
    const r = await sendPing(base, exitCode === null ? { kind: "start" } : { kind: "end", exitCode }, runId, { timeoutMs, body });
    if (!r.ok) log.info(`ping ${r.url} failed: ${r.error ?? `HTTP ${r.status}`} (the run is not affected)`);
  };
  await ping(null, `leadjobs ${command} started`);
  let code: number;
  try {
    code = await run();
  } catch (e) {
    const mapped = mapDatabaseError(e);
    const failed = mapped instanceof LeadjobsError ? mapped.exitCode : ExitCode.Internal;
    await ping(failed, redactEnv(`leadjobs ${command} exit ${failed}: ${errorMessage(mapped)}`, process.env));
    throw e;
  }
  await ping(code, `leadjobs ${command} exit ${code}`);
  return code;
}

/**
 * The run's settings (`settings`, resolved once with its flags) give the timeout. When they do not
 * resolve, a bad setting in the environment or the config file stops before the first ping, and a
 * bad flag is the run's own error (thrown inside it, so pinged); only then are they resolved again.
 */
function pingTimeout(g: GlobalOptions, settings: () => Config): number {
  try {
    return settings().pingTimeout;
  } catch {
    return loadConfig(g).pingTimeout;
  }
}
