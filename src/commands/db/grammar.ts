import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";

/** db: what the database is, and moving it from SQLite to PostgreSQL. */
export function registerDb(program: Command, setExit: SetExit): void {
  const db = program.command("db").description("the database: backend, version, migrations, size; copy SQLite into PostgreSQL");
  db.command("info")
    .description("backend and its version, migration level, size and where the database is (never creates one)")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { dbInfo } = await import("./info.ts");
      setExit(await dbInfo(globals(cmd), opts));
    });
  db.command("copy")
    .description("copy this SQLite database (--db) into an empty PostgreSQL database, in one transaction")
    .requiredOption("--to <url>", "the target: postgres://user[:password]@host[:port]/database (its tables are created)")
    .option("--json", "print the per-table row counts as JSON")
    .action(async (opts, cmd: Command) => {
      const { dbCopy } = await import("./copy.ts");
      setExit(await dbCopy(globals(cmd), opts));
    });
}
