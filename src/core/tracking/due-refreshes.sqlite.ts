// SQLite-specific SQL of the rank cadence (due-refreshes.ts).
import { sql } from "kysely";

/** A refresh job's payload `{"orgnr": ...}` from an orgnr column, as JSON text. */
export const orgnrPayload = (orgnrColumn: string) => sql`json_object('orgnr', ${sql.ref(orgnrColumn)})`;

/** An instant parameter where a typed value is needed (SQLite: the ISO text as it is). */
export const instant = (iso: string) => sql`${iso}`;
