import { UsageError } from "./core/errors.ts";
import { aliasOf } from "./core/jobs/alias.ts";
import type { JobDefinition } from "./core/jobs/types.ts";

type Loader = () => Promise<JobDefinition<any>>;

/**
 * Every job type, loaded lazily so a command only pays for the handlers it runs.
 * The one module that knows every feature's job types: add a line here when a feature adds one.
 */
const LOADERS: Record<string, Loader> = {
  noop: async () => (await import("./core/jobs/noop.ts")).noopJob,
  "brand.score": async () => (await import("./core/brands/job-score.ts")).brandScoreJob,
  "brand.collect": async () => (await import("./core/brands/job-collect.ts")).brandCollectJob,
  "brand.collect_and_score": async () => (await import("./core/brands/job-collect-and-score.ts")).brandCollectAndScoreJob,
  data_collection: async () => aliasOf("data_collection", (await import("./core/brands/job-collect.ts")).brandCollectJob),
  scoring: async () => aliasOf("scoring", (await import("./core/brands/job-score.ts")).brandScoreJob),
  data_collection_and_scoring: async () => aliasOf("data_collection_and_scoring", (await import("./core/brands/job-collect-and-score.ts")).brandCollectAndScoreJob),
  "budget.alerts": async () => (await import("./core/budget/job-alerts.ts")).budgetAlertsJob,
  "notify.deliver": async () => (await import("./core/notify/job-deliver.ts")).notifyDeliverJob,
  "invoice.pdf": async () => (await import("./core/invoice/job-pdf.ts")).invoicePdfJob,
  "links.cleanup": async () => (await import("./core/cleanup/job-links.ts")).linksCleanupJob,
  "queue.prune": async () => (await import("./core/cleanup/job-queue-prune.ts")).queuePruneJob,
  "company.refresh": async () => (await import("./core/tracking/job-refresh.ts")).companyRefreshJob,
  "web.batch": async () => (await import("./core/web/job-batch.ts")).webBatchJob,
  "leads.search": async () => (await import("./core/leads/job-search.ts")).leadsSearchJob,
  "leads.analyze": async () => (await import("./core/leads/job-analyze.ts")).leadsAnalyzeJob,
  "leads.search_and_analyze": async () => (await import("./core/leads/job-search-and-analyze.ts")).leadsSearchAndAnalyzeJob,
  "company.enrich": async () => (await import("./core/companies/job-enrich.ts")).companyEnrichJob,
};

export const JOB_TYPES: readonly string[] = Object.keys(LOADERS).sort();

export function isJobType(type: string): boolean {
  return Object.hasOwn(LOADERS, type);
}

const loaded = new Map<string, Promise<JobDefinition<unknown>>>();

export function loadJobType(type: string): Promise<JobDefinition<unknown>> {
  const load = LOADERS[type];
  if (!load) {
    return Promise.reject(new UsageError(`unknown job type "${type}"`, { code: "UNKNOWN_JOB_TYPE", hint: `known types: ${JOB_TYPES.join(", ")}` }));
  }
  let def = loaded.get(type);
  if (!def) loaded.set(type, (def = load()));
  return def;
}
