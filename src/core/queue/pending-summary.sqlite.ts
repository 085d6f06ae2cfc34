// SQLite-specific: the pending-jobs summary of `status` and `process --wait`, as SQL text shared
// word for word by the Kysely path (inspect.sqlite.ts) and the light path (queue-status.sqlite.ts),
// which must not load Kysely. Both statements take `now` three times.

/** Up to this many distinct priorities are read one by one; with more, one scan of the claim index is cheaper. */
export const PRIORITY_LEVELS = 64;

const CLAIMABLE = "from job indexed by job_claim where state = 'pending' and blocked = 0";

/**
 * The claim index orders by priority, then run_at, so within one priority the earliest run_at and
 * the jobs due later are each one search away. This walks the distinct priorities (a loose index
 * scan) instead of reading every pending job. Its `levels` is PRIORITY_LEVELS + 1 when there were
 * more priorities than that, and the walk stopped short: then PENDING_SCAN answers.
 */
export const PENDING_BY_PRIORITY = `
  with recursive level(p, n) as (
    select (select max(priority) ${CLAIMABLE}), 1
    union all
    select (select max(priority) ${CLAIMABLE} and priority < level.p), n + 1 from level where p is not null and n <= ${PRIORITY_LEVELS}
  )
  select max(n) as levels,
    sum((select count(*) ${CLAIMABLE} and priority = level.p and run_at > ?)) as scheduled,
    min((select min(run_at) ${CLAIMABLE} and priority = level.p and run_at <= ?)) as oldest,
    min((select min(run_at) ${CLAIMABLE} and priority = level.p and run_at > ?)) as next
  from level where p is not null`;

/** The same summary from one scan of the claim index. */
export const PENDING_SCAN = `
  select sum(run_at > ?) as scheduled,
    min(case when run_at <= ? then run_at end) as oldest,
    min(case when run_at > ? then run_at end) as next
  ${CLAIMABLE}`;

/** Whether the walk by priority saw every priority (so its figures are whole). */
export const walkedEveryPriority = (row: { levels: number | null } | undefined): boolean => (row?.levels ?? 0) <= PRIORITY_LEVELS;
