import { UsageError } from "./errors.ts";
import { formatDuration, parseDuration } from "./time.ts";
import { parseJsonText } from "./util/json-text.ts";
import { didYouMean } from "./util/nearest.ts";

/**
 * Settings resolve as: command-line flag > LEADJOBS_* environment variable > config file > default.
 * Each setting is declared once here; its env name is LEADJOBS_ + the key in SCREAMING_SNAKE_CASE
 * (busyTimeout -> LEADJOBS_BUSY_TIMEOUT) and its config-file key is the key itself.
 */
/** `rates`: a JSON object of name -> a non-negative amount (`{"quick": 0.05}`), in the file or as JSON text in the env. */
type Kind = "string" | "duration" | "int" | "bool" | "rates";
interface Spec {
  kind: Kind;
  /** An empty value is refused wherever it comes from, not passed over for the next source (the database path). */
  notEmpty?: boolean;
  /** The smallest value allowed (durations: in ms; never below 0). */
  min?: number;
  /** A fixed default, or one derived from the environment. */
  default: string | number | boolean | ((env: Env) => string | number | boolean | undefined) | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const SETTINGS = {
  // `--db "$UNSET"` or LEADJOBS_DB= falling back to the default database would run someone else's queue.
  db: { kind: "string", notEmpty: true, default: defaultDbPath },
  busyTimeout: { kind: "duration", default: "5s" },
  concurrency: { kind: "int", min: 1, default: 5 },
  // A lease shorter than a second expires between renewals; a zero poll spins on the write lock.
  lease: { kind: "duration", min: 1000, default: "30s" },
  grace: { kind: "duration", default: "10s" },
  poll: { kind: "duration", min: 10, default: "1s" },
  notifyWebhook: { kind: "string", default: undefined },
  notifyOutput: { kind: "bool", default: true },
  // Email notifications (SMTP); the password only from LEADJOBS_SMTP_PASSWORD.
  smtpHost: { kind: "string", default: undefined },
  smtpPort: { kind: "int", min: 1, default: undefined },
  smtpTls: { kind: "string", default: "starttls" },
  smtpUser: { kind: "string", default: undefined },
  smtpFrom: { kind: "string", default: undefined },
  // Who gets the operators' notices (dead jobs) by email: addresses, comma-separated.
  adminEmail: { kind: "string", default: undefined },
  storageRoot: { kind: "string", default: defaultStorageRoot },
  viewRetention: { kind: "duration", default: "90d" },
  jobRetention: { kind: "duration", default: "30d" },
  deadJobRetention: { kind: "duration", default: "90d" },
  // Schedules and the enqueue tick (see README "Schedules").
  scheduleTimezone: { kind: "string", default: "Europe/Stockholm" },
  misfireGrace: { kind: "duration", default: "1h" },
  misfireCap: { kind: "int", min: 1, default: 10 },
  overdueAfter: { kind: "duration", default: "15m" },
  refreshBands: { kind: "string", default: "81-100:1d,61-80:2d,31-60:3d,11-30:4d,1-10:5d" },
  refreshCap: { kind: "int", min: 0, default: 200 },
  refreshFailureThreshold: { kind: "int", min: 1, default: 3 },
  refreshAnalysis: { kind: "string", default: "full_analysis" },
  pingTimeout: { kind: "duration", min: 1, default: "5s" },
  fireRetention: { kind: "duration", default: "90d" },
  chromiumPath: { kind: "string", default: "/usr/bin/chromium" },
  webConcurrency: { kind: "int", min: 1, default: 5 },
  webBrowserPages: { kind: "int", min: 1, default: 1 },
  webTimeout: { kind: "duration", min: 1, default: "20s" },
  webMaxBytes: { kind: "int", min: 1024, default: 5_242_880 },
  webDelay: { kind: "duration", default: "1s" },
  webMaxPages: { kind: "int", min: 1, default: 8 },
  webBrowser: { kind: "string", default: "auto" },
  webAllowPrivate: { kind: "bool", default: false },
  webAllowHosts: { kind: "string", default: undefined },
  webBlockedRetries: { kind: "int", min: 0, default: 3 },
  webUserAgent: { kind: "string", default: undefined },
  webFingerprints: { kind: "string", default: undefined },
  // Lead generation: LLM providers (keys only from the environment) and Bolagsverket's API.
  llmProvider: { kind: "string", default: "rules" },
  llmModel: { kind: "string", default: undefined },
  llmTimeout: { kind: "duration", default: "60s" },
  llmMaxRetries: { kind: "int", min: 0, default: 3 },
  llmPrices: { kind: "string", default: undefined },
  ollamaHost: { kind: "string", default: "http://127.0.0.1:11434" },
  openaiBaseUrl: { kind: "string", default: "https://api.openai.com/v1" },
  groqBaseUrl: { kind: "string", default: "https://api.groq.com/openai/v1" },
  geminiBaseUrl: { kind: "string", default: "https://generativelanguage.googleapis.com/v1beta/openai/" },
  claudeBaseUrl: { kind: "string", default: "https://api.anthropic.com/v1/" },
  perplexityBaseUrl: { kind: "string", default: "https://api.perplexity.ai" },
  llmBaseUrl: { kind: "string", default: undefined },
  bolagsverketBaseUrl: { kind: "string", default: "https://gw.api.bolagsverket.se/vardefulla-datamangder/v1" },
  bolagsverketTokenUrl: { kind: "string", default: "https://portal.api.bolagsverket.se/oauth2/token" },
  // Brand visibility: which AI assistants collect answers, how fast, and who scores sentiment.
  brandCollectors: { kind: "string", default: undefined },
  brandProviderRpm: { kind: "string", default: "60" },
  brandCustomerRpm: { kind: "int", min: 0, default: 120 },
  brandRpm: { kind: "string", default: "60" },
  brandSentimentProvider: { kind: "string", default: "lexicon" },
  // Flat prices per lead by analysis protocol (USD), shown beside the token-based cost estimate.
  leadRates: { kind: "rates", default: undefined },
} satisfies Record<string, Spec>;

export type SettingKey = keyof typeof SETTINGS;
/** Amounts by name, from a `rates` setting. */
export type Rates = Readonly<Record<string, number>>;
type ValueOf<K extends Kind> = K extends "string" ? string : K extends "bool" ? boolean : K extends "rates" ? Rates : number;
/** `undefined` when a setting has no default, or a default derived from the environment that may be missing. */
type Absent<D> = undefined extends D ? undefined : D extends (env: Env) => infer R ? (undefined extends R ? undefined : never) : never;
/** Resolved settings; durations are in milliseconds. Settings without a default may be undefined. */
export type Config = { readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]["kind"]> | Absent<(typeof SETTINGS)[K]["default"]> };

export type RawSettings = Partial<Record<SettingKey, unknown>>;

export function envName(key: string): string {
  return `LEADJOBS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export function resolveConfig(cli: RawSettings, env: Env, file: RawSettings): Config {
  // A misspelled key would be ignored without a word, and its setting silently left at the default.
  const keys = Object.keys(SETTINGS);
  const unknown = Object.keys(file).filter((k) => !Object.hasOwn(SETTINGS, k) && !k.startsWith("$"));
  if (unknown.length > 0) {
    const k = unknown[0] as string;
    throw new UsageError(`unknown config key "${k}"${didYouMean(k, keys)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as Array<[SettingKey, Spec]>) {
    const envValue = env[envName(key)];
    const candidates: Array<[unknown, string]> = [
      [cli[key], `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`],
      [envValue === "" && !spec.notEmpty ? undefined : envValue, envName(key)],
      [file[key], `config file key "${key}"`],
      [typeof spec.default === "function" ? spec.default(env) : spec.default, `default ${key}`],
    ];
    const found = candidates.find(([v]) => v !== undefined && v !== null);
    if (spec.notEmpty && found?.[0] === "") throw new UsageError(`${found[1]} is empty`);
    out[key] = found ? coerce(found[0], spec, found[1]) : undefined;
  }
  return out as Config;
}

function coerce(value: unknown, spec: Spec, source: string): string | number | boolean | Rates {
  switch (spec.kind) {
    case "string":
      return String(value);
    case "duration": {
      const ms = typeof value === "number" ? value : parseDuration(String(value), source);
      const min = spec.min ?? 0;
      if (!Number.isFinite(ms) || ms < min)
        throw new UsageError(
          `invalid ${source} "${String(value)}": expected ${min > 0 ? `at least ${formatDuration(min)}` : "a duration such as 30s"}`,
        );
      return ms;
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (/^(1|true|yes|on)$/i.test(String(value))) return true;
      if (/^(0|false|no|off)$/i.test(String(value))) return false;
      throw new UsageError(`invalid ${source} "${String(value)}": expected true or false`);
    case "rates":
      return coerceRates(value, source);
    case "int": {
      const n = typeof value === "number" ? value : Number(String(value).trim());
      if (!Number.isInteger(n) || n < (spec.min ?? Number.MIN_SAFE_INTEGER)) {
        throw new UsageError(
          `invalid ${source} "${String(value)}": expected a whole number${spec.min !== undefined ? ` >= ${spec.min}` : ""}`,
        );
      }
      return n;
    }
  }
}

/** `{"name": amount}` (an object in the file, JSON text in the environment): every amount a finite number >= 0. */
function coerceRates(value: unknown, source: string): Rates {
  let v = value;
  if (typeof v === "string") v = parseJsonText(v, source);
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new UsageError(`invalid ${source}: expected an object of name -> amount, such as {"quick": 0.05}`);
  for (const [k, n] of Object.entries(v)) {
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0)
      throw new UsageError(`invalid ${source}: the amount of "${k}" must be a number >= 0, not ${JSON.stringify(n)}`);
  }
  return Object.freeze({ ...(v as Record<string, number>) });
}

/** `$XDG_DATA_HOME/leadjobs` (`~/.local/share/leadjobs`): the database and the files beside it. */
function dataDir(env: Env): string | undefined {
  const base = env.XDG_DATA_HOME || (env.HOME ? `${env.HOME}/.local/share` : undefined);
  return base ? `${base}/leadjobs` : undefined;
}

function defaultDbPath(env: Env): string | undefined {
  const dir = dataDir(env);
  return dir ? `${dir}/leadjobs.db` : undefined;
}

/** Where invoice PDFs and other files go: beside the default database. */
function defaultStorageRoot(env: Env): string | undefined {
  return dataDir(env);
}

/** Where the optional config file is looked for when neither --config nor LEADJOBS_CONFIG is set. */
export function defaultConfigPath(env: Env): string | undefined {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? `${env.HOME}/.config` : undefined);
  return base ? `${base}/leadjobs/config.json` : undefined;
}
