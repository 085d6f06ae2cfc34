/**
 * Stored analyses, as other features use them (tracking records the analysis of a refresh): the
 * web feature's public surface for its store, which stays internal to the feature.
 */
export { insertAnalysis, type Subject } from "./store/analyses.ts";
