import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/**
 * PostgreSQL's identity sequence of `table`'s id continues after its highest id: rows inserted
 * with ids of their own do not move it, and the next row without one would be given a taken id.
 * Never moved back.
 */
export async function continueIdentity(db: Db, table: string): Promise<void> {
  await sql`select setval(seq, greatest((select max(id) from ${sql.table(table)}), coalesce(pg_sequence_last_value(seq), 0), 1))
    from (select cast(pg_get_serial_sequence(${table}, 'id') as regclass) as seq) as s`.execute(db);
}
