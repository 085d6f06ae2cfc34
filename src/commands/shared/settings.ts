// Resolving the settings of a run (flag > env > config file > default), without opening the
// database: context.ts opens it; the idle fast path (src/fast.ts) resolves them alone.
import { existsSync, readFileSync } from "node:fs";
import { defaultConfigPath, resolveConfig, type Config, type RawSettings } from "../../core/config.ts";
import { UsageError } from "../../core/errors.ts";
import { parseJsonText } from "../../core/util/json-text.ts";
import type { GlobalOptions } from "./context.ts";

/** Resolves settings (flag > env > config file > default) without opening the database. */
export function loadConfig(g: GlobalOptions, cli: RawSettings = {}, env = process.env): Config {
  const file = readConfigFile(g.config ?? env.LEADJOBS_CONFIG, env);
  return resolveConfig({ ...cli, db: g.db ?? cli.db }, env, file);
}

/**
 * The settings resolved at most once: the first call resolves them (or throws), later calls give
 * the same Config (or the same error). For a command that needs them before and after a step
 * that must not fail on them (the ping before the run).
 */
export function configOnce(g: GlobalOptions, cli: RawSettings = {}): () => Config {
  let resolved: { config: Config } | { error: unknown } | undefined;
  return () => {
    if (resolved === undefined) {
      try {
        resolved = { config: loadConfig(g, cli) };
      } catch (error) {
        resolved = { error };
      }
    }
    if ("error" in resolved) throw resolved.error;
    return resolved.config;
  };
}

function readConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv): RawSettings {
  const path = explicit ?? defaultConfigPath(env);
  if (!path || (!explicit && !existsSync(path))) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  const parsed = parseJsonText(text, `config file ${path}`);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError(`config file ${path} is not a JSON object of settings`);
  return parsed as RawSettings;
}
