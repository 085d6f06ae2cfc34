import type { Command } from "commander";
import { UsageError } from "../../core/errors.ts";

/**
 * Refuses `--NAME` together with `--no-NAME` (exit 2): commander keeps whichever came last and
 * says nothing, so `--website X --no-website` would silently clear the website.
 */
export function refuseBothForms(cmd: Command, name: string): Command {
  const given = new Set<"yes" | "no">();
  return cmd
    .on(`option:${name}`, () => given.add("yes"))
    .on(`option:no-${name}`, () => given.add("no"))
    .hook("preAction", () => {
      if (given.size === 2) throw new UsageError(`use either --${name} or --no-${name}`);
    });
}
