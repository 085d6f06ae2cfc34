// SQLite-specific: how many jobs each type has in each state, for `status`, as SQL text shared
// word for word by the Kysely path (inspect.sqlite.ts) and the light path (queue-status.sqlite.ts),
// which must not load Kysely.
import { JOB_STATES } from "./schema.ts";

/**
 * The (state, type) pairs are found by seeks in job_state_type (a loose index scan: per state, the
 * next type after the last), and each pair is counted over its own range of the index. On 100,000
 * jobs this took half the time of `group by state, type`, which reads both columns of every entry.
 * The rows come in no particular order: shapeQueueStatus (queue-status.ts) sums and sorts them.
 */
export const STATE_TYPE_COUNTS = `
  with recursive
    s(state) as (values ${JOB_STATES.map((state) => `('${state}')`).join(", ")}),
    t(state, type) as (
      select state, (select min(type) from job indexed by job_state_type where job.state = s.state) from s
      union all
      select state, (select min(type) from job indexed by job_state_type where job.state = t.state and job.type > t.type)
      from t where type is not null
    )
  select type, state, (select count(*) from job indexed by job_state_type where job.state = t.state and job.type = t.type) as n
  from t where type is not null`;
