import type { Db } from "../db/handle.ts";

/** Records that `jobId` runs batch `batchId` (a job that made its batch from a selection); inside the caller's transaction. */
export async function attachBatch(trx: Db, jobId: number, batchId: number): Promise<void> {
  await trx.updateTable("job").set({ batch_id: batchId }).where("id", "=", jobId).execute();
}

/** The id of the batch job `jobId` is attached to, or null. */
export async function batchIdOfJob(db: Db, jobId: number): Promise<number | null> {
  const row = await db.selectFrom("job").select("batch_id").where("id", "=", jobId).executeTakeFirst();
  return row?.batch_id ?? null;
}

/** The ids of a batch's jobs, oldest first. */
export async function batchJobIds(db: Db, batchId: number): Promise<number[]> {
  const jobs = await db.selectFrom("job").select("id").where("batch_id", "=", batchId).orderBy("id").execute();
  return jobs.map((j) => j.id);
}

/** A pending or running job of the batch, if there is one. */
export async function liveBatchJob(db: Db, batchId: number): Promise<number | undefined> {
  const live = await db
    .selectFrom("job")
    .select("id")
    .where("batch_id", "=", batchId)
    .where("state", "in", ["pending", "running"])
    .executeTakeFirst();
  return live?.id;
}
