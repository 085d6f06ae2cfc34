import type { Command } from "commander";
import { ExitCode, UsageError } from "../core/errors.ts";
import { didYouMean } from "../core/util/nearest.ts";

/** Prints the help of the command `words` name below `program` (all of it with no words). */
export function helpCommand(program: Command, words: readonly string[]): number {
  let cmd = program;
  const path: string[] = [];
  for (const word of words) {
    const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) {
      const known = cmd.commands.map((c) => c.name());
      const where = path.length === 0 ? "" : ` in "${path.join(" ")}"`;
      throw new UsageError(`unknown command "${word}"${where}${didYouMean(word, known)}`, {
        hint: `see: leadjobs help${path.map((p) => ` ${p}`).join("")}`,
      });
    }
    cmd = next;
    path.push(word);
  }
  cmd.outputHelp();
  return ExitCode.Ok;
}
