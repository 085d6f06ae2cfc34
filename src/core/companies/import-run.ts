// One `companies import` at a time. Companies "no longer in the register" are those the import did
// not see (seen_import_id below its id), so two overlapping imports would each mark what the other
// saw. The running import's row names its process and is touched while it works; a second import
// is refused (exit 75) unless that process is certainly gone (kill -9, a reboot), whose row is
// then closed as failed. The unique index company_import_one_running backs this up.
import type { Db } from "../db/handle.ts";
import { immediate } from "../db/handle.ts";
import { ExitCode, LeadjobsError } from "../errors.ts";
import { thisProcess } from "../runtime/owner.ts";
import { fromInstant, toInstant } from "../time.ts";
import { NO_IMPORT_COUNTS, type CompanyImportRow, type ImportFormat } from "./schema.ts";

/** Who runs this import, and how to tell that another's process is gone (commands/shared/context.ts). */
export interface ImportRunner {
  /** `host:pid:boot` of this process. */
  owner: string;
  /** True when `owner` is a process on this host that no longer exists. */
  ownerGone(owner: string): boolean;
}

/** A running import on another host whose row was not touched for this long is taken to be dead. */
export const STALE_IMPORT_MS = 30 * 60_000;
/** How often a running import touches its row (at most). */
export const HEARTBEAT_MS = 60_000;

const INTERRUPTED = "interrupted (its process ended without finishing the import)";

/** Records a new running import, after closing the rows of imports whose process is gone; exit 75 while another runs. */
export async function startImportRun(
  db: Db,
  o: { file: string; format: ImportFormat; encoding: string; now: number; runner?: ImportRunner | undefined },
): Promise<number> {
  const now = toInstant(o.now);
  const runner = o.runner ?? thisProcess();
  return immediate(db, async (trx) => {
    const running = await trx.selectFrom("company_import").selectAll().where("state", "=", "running").execute();
    for (const row of running) {
      if (!isDead(row, o.now, runner)) throw importRunning(row);
      await trx
        .updateTable("company_import")
        .set({ state: "failed", finished_at: now, error: INTERRUPTED })
        .where("id", "=", row.id)
        .execute();
    }
    const { id } = await trx
      .insertInto("company_import")
      .values({
        file: o.file,
        format: o.format,
        encoding: o.encoding,
        state: "running",
        started_at: now,
        finished_at: null,
        error: null,
        owner: runner.owner,
        heartbeat_at: now,
        ...NO_IMPORT_COUNTS,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return id;
  });
}

/** Tells other imports this one is alive. */
export async function touchImportRun(db: Db, importId: number, now: number): Promise<void> {
  await db
    .updateTable("company_import")
    .set({ heartbeat_at: toInstant(now) })
    .where("id", "=", importId)
    .execute();
}

function isDead(row: CompanyImportRow, now: number, runner: ImportRunner): boolean {
  if (row.owner && runner.ownerGone(row.owner)) return true;
  const touched = row.heartbeat_at ?? row.started_at;
  return now - fromInstant(touched) > STALE_IMPORT_MS;
}

function importRunning(row: CompanyImportRow): LeadjobsError {
  return new LeadjobsError(
    `another companies import is running (${row.file}, started ${row.started_at}${row.owner ? ` by ${row.owner}` : ""}): try again when it has finished`,
    "DB_BUSY",
    { exitCode: ExitCode.TempFail },
  );
}
