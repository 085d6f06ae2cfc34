import type { Command } from "commander";
import type { GlobalOptions } from "./context.ts";

/** Sets the process exit code from a command's result. */
export type SetExit = (code: number) => void;

/** Collects a repeatable option (`--type a --type b`, or `--type a,b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** The program-level options (--db, --config, --verbose, --quiet), wherever they were written. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}
