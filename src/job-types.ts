import { UsageError } from "./core/errors.ts";
import { aliasOf } from "./core/jobs/alias.ts";
import type { JobDefinition } from "./core/jobs/types.ts";

// biome-ignore lint/suspicious/noExplicitAny: each loader returns its own JobDefinition<P, R>; the record only needs "some definition"
type Loader = () => Promise<JobDefinition<any, any>>;

/**
 * Every job type, loaded lazily so a command only pays for the handlers it runs.
 * The one module that knows every feature's job types: add a line here when a feature adds one.
 * Its type (not its value) names each type's definition, so a caller knows the result it gets.
 */
const LOADERS = {
  noop: async () => (await import("./core/jobs/noop.ts")).noopJob,
  "brand.score": async () => (await import("./core/brands/job-score.ts")).brandScoreJob,
  "brand.collect": async () => (await import("./core/brands/job-collect.ts")).brandCollectJob,
  "brand.collect_and_score": async () => (await import("./core/brands/job-collect-and-score.ts")).brandCollectAndScoreJob,
  data_collection: async () => aliasOf("data_collection", (await import("./core/brands/job-collect.ts")).brandCollectJob),
  scoring: async () => aliasOf("scoring", (await import("./core/brands/job-score.ts")).brandScoreJob),
  data_collection_and_scoring: async () =>
    aliasOf("data_collection_and_scoring", (await import("./core/brands/job-collect-and-score.ts")).brandCollectAndScoreJob),
  "budget.alerts": async () => (await import("./core/budget/job-alerts.ts")).budgetAlertsJob,
  "notify.deliver": async () => (await import("./core/notify/job-deliver.ts")).notifyDeliverJob,
  "invoice.pdf": async () => (await import("./core/invoice/job-pdf.ts")).invoicePdfJob,
  "links.cleanup": async () => (await import("./core/cleanup/job-links.ts")).linksCleanupJob,
  "queue.prune": async () => (await import("./core/cleanup/job-queue-prune.ts")).queuePruneJob,
  "db.check": async () => (await import("./core/cleanup/job-db-check.ts")).dbCheckJob,
  "company.refresh": async () => (await import("./core/tracking/job-refresh.ts")).companyRefreshJob,
  "web.batch": async () => (await import("./core/web/job-batch.ts")).webBatchJob,
  "leads.search": async () => (await import("./core/leads/job-search.ts")).leadsSearchJob,
  "leads.analyze": async () => (await import("./core/leads/job-analyze.ts")).leadsAnalyzeJob,
  "leads.search_and_analyze": async () => (await import("./core/leads/job-search-and-analyze.ts")).leadsSearchAndAnalyzeJob,
  "company.enrich": async () => (await import("./core/companies/job-enrich.ts")).companyEnrichJob,
  "company.reports": async () => (await import("./core/companies/job-reports.ts")).companyReportsJob,
} satisfies Record<string, Loader>;

/** The name of a job type this binary knows. */
export type JobTypeName = keyof typeof LOADERS;

/** The definition a job type name loads (type level only: nothing is imported for it). */
export type JobDefinitionOf<T extends JobTypeName> = Awaited<ReturnType<(typeof LOADERS)[T]>>;

/** What a completed job of type `T` returns as its result (for a union of names, one of theirs). */
export type JobResultOf<T extends JobTypeName> = T extends JobTypeName
  ? JobDefinitionOf<T> extends JobDefinition<infer _P, infer R>
    ? R
    : never
  : never;

export const JOB_TYPES: readonly string[] = Object.keys(LOADERS).sort();

export function isJobType(type: string): type is JobTypeName {
  return Object.hasOwn(LOADERS, type);
}

const loaded = new Map<string, Promise<JobDefinition<unknown>>>();

export function loadJobType(type: string): Promise<JobDefinition<unknown>> {
  const load = isJobType(type) ? LOADERS[type] : undefined;
  if (!load) {
    return Promise.reject(
      new UsageError(`unknown job type "${type}"`, { code: "UNKNOWN_JOB_TYPE", hint: `known types: ${JOB_TYPES.join(", ")}` }),
    );
  }
  let def = loaded.get(type);
  if (!def) loaded.set(type, (def = load()));
  return def;
}
