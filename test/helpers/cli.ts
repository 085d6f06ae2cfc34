import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testDatabase } from "./backend.ts";

export const BIN = fileURLToPath(new URL("../../bin/leadjobs", import.meta.url));
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** Options for node itself, before the binary (e.g. `--import` of a probe). */
  nodeArgs?: string[];
}

/** Environment for a child leadjobs: no user config, no TTY colours, this db. */
export function cliEnv(db: string | undefined, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", LEADJOBS_CONFIG: undefined, XDG_CONFIG_HOME: "/nonexistent", ...extra };
  if (db !== undefined) env.LEADJOBS_DB = testDatabase(db);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Starts the real binary, as cron would. */
export function spawnCli(args: string[], db: string | undefined, o: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], {
    cwd: o.cwd ?? ROOT,
    env: cliEnv(db, o.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export function finished(child: ChildProcess, input?: string): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  if (input !== undefined) child.stdin?.end(input);
  else child.stdin?.end();
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function runCli(args: string[], db: string | undefined, o: CliOptions = {}): Promise<CliResult> {
  return finished(spawnCli(args, db, o), o.input);
}

/** Runs and parses stdout as JSON, failing loudly with stderr when the command failed. */
export async function runJson<T = any>(args: string[], db: string | undefined, o: CliOptions = {}): Promise<T> {
  const r = await runCli([...args, "--json"], db, o);
  if (r.code !== 0) throw new Error(`leadjobs ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Resolves once `predicate` holds for the child's accumulated stderr+stdout. */
export function waitForOutput(child: ChildProcess, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<void> {
  let text = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for output; got: ${text}`)), timeoutMs);
    const on = (d: Buffer) => {
      text += d.toString();
      if (predicate(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
  });
}

/** `schedule add` arguments for a nightly (02:00) schedule of `type` with `payload`. */
export function scheduleAddArgs(name: string, type: string, payload: object): string[] {
  return ["schedule", "add", "--name", name, "--type", type, "--cron", "0 2 * * *", "--payload", JSON.stringify(payload)];
}
