// Kept free of kysely and pg: the CLI entry maps errors without loading either.
import { mapPostgresError } from "./postgres-errors.ts";
import { mapSqliteError } from "./sqlite-errors.ts";

/** A database error an operator can cause, as one clear LeadjobsError (either backend); anything else as it was. */
export function mapDatabaseError(e: unknown): unknown {
  return mapPostgresError(mapSqliteError(e));
}
