import { ANALYSIS_TYPES, type AnalysisType } from "./schema.ts";
import { UsageError } from "../errors.ts";
import type { Group } from "./fingerprints/compile.ts";

export { ANALYSIS_TYPES, type AnalysisType };

export interface AnalysisSpec {
  /** What the analysis reports (and what a later one of the same coverage is compared with). */
  groups: readonly Group[];
  /** Visit the cart, checkout and shipping-terms pages too (checkout pages in the browser). */
  checkoutPages: boolean;
  summary: string;
}

/** The seed spec's analysis types. */
export const ANALYSIS_SPECS: Record<AnalysisType, AnalysisSpec> = {
  tech_analysis: { groups: ["platform", "other"], checkoutPages: false, summary: "technologies and e-commerce platform (start page)" },
  ecommerce_detection: { groups: ["platform"], checkoutPages: false, summary: "e-commerce platform only (start page)" },
  checkout_scraping: {
    groups: ["payment", "delivery", "carrier"],
    checkoutPages: true,
    summary: "checkout, payment and delivery solutions and carriers (cart, checkout and shipping-terms pages, in the browser)",
  },
  carrier_detection: { groups: ["delivery", "carrier"], checkoutPages: true, summary: "delivery checkouts and carriers only" },
  full_analysis: {
    groups: ["platform", "payment", "delivery", "carrier", "other"],
    checkoutPages: true,
    summary: "everything: tech_analysis and checkout_scraping together",
  },
};

export function parseAnalysisType(value: string): AnalysisType {
  if ((ANALYSIS_TYPES as readonly string[]).includes(value)) return value as AnalysisType;
  throw new UsageError(`unknown analysis type "${value}"`, { hint: `use one of ${ANALYSIS_TYPES.join(", ")}` });
}

export const BROWSER_MODES = ["auto", "always", "never"] as const;
export type BrowserMode = (typeof BROWSER_MODES)[number];

export function parseBrowserMode(value: string, source = "--browser"): BrowserMode {
  if ((BROWSER_MODES as readonly string[]).includes(value)) return value as BrowserMode;
  throw new UsageError(`invalid ${source} "${value}": expected auto, always or never`);
}

/** True when this type needs Chromium unless the browser is turned off. */
export const needsBrowser = (type: AnalysisType, mode: BrowserMode): boolean =>
  mode === "always" || (mode === "auto" && ANALYSIS_SPECS[type].checkoutPages);
