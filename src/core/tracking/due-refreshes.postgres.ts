// PostgreSQL-specific SQL of the rank cadence (due-refreshes.ts).
import { sql } from "kysely";

/** A refresh job's payload `{"orgnr": ...}` from an orgnr column, as jsonb. */
export const orgnrPayload = (orgnrColumn: string) => sql`jsonb_build_object('orgnr', ${sql.ref(orgnrColumn)})`;

/** An instant parameter where a typed value is needed (a `case` of parameters would be text). */
export const instant = (iso: string) => sql`${iso}::timestamptz`;
