/**
 * yauzl, loaded when a ZIP is read. The CLI bundle turns this CommonJS module into a default
 * export only (`import("yauzl")` has no `open` there), while Node and vitest also give named ones.
 */
export async function loadYauzl(): Promise<typeof import("yauzl")> {
  const mod = await import("yauzl");
  return mod.default ?? mod;
}
