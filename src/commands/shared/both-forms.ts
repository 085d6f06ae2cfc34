import type { Command } from "commander";
import { UsageError } from "../../core/errors.ts";

/**
 * A `--NAME` / `--no-NAME` pair meaning "set", "unset" or, given neither, "leave as it is": the
 * action sees undefined unless one form was given (commander would default it from `--no-NAME`),
 * and both forms together are refused (exit 2), since commander keeps whichever came last and
 * says nothing — `--website X --no-website` would silently clear the website.
 */
export function optionalSwitch(cmd: Command, name: string): Command {
  const key = cmd.options.find((o) => o.long === `--${name}`)?.attributeName();
  if (!key) throw new Error(`no option --${name}`);
  const given = new Set<"yes" | "no">();
  return cmd
    .on(`option:${name}`, () => given.add("yes"))
    .on(`option:no-${name}`, () => given.add("no"))
    .hook("preAction", () => {
      if (given.size === 2) throw new UsageError(`use either --${name} or --no-${name}`);
      if (given.size === 0) cmd.setOptionValueWithSource(key, undefined, "default");
    });
}
