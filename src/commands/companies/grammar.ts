import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";

/**
 * `companies problems` and `companies reset`: companies whose refresh keeps failing. Attached
 * to a given `companies` command group, so it can join the group of the other companies
 * subcommands.
 */
export function addCompanyProblemCommands(companies: Command, setExit: SetExit): void {
  companies.command("problems")
    .description("companies the refresh cadence skips because their refresh failed or was blocked too often in a row, with the last errors")
    .option("--limit <n>", "at most n companies (default 100)")
    .option("--now <iso>", "act as if it were then (ages in the listing)")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { companiesProblems } = await import("./problems.ts");
      setExit(await companiesProblems(globals(cmd), opts));
    });
  companies.command("reset")
    .description("put a problem company back in the refresh cadence (clears the flag and its failures in a row)")
    .argument("<orgnr>", "organisationsnummer")
    .option("--json", "print JSON")
    .action(async (orgnr: string, opts, cmd: Command) => {
      const { companiesReset } = await import("./problems.ts");
      setExit(await companiesReset(globals(cmd), orgnr, opts));
    });
}
