/**
 * Imports the module that loads node-postgres. On Node 20 (no `navigator`) pg 8 probes for
 * Cloudflare Workers when it loads, with `new Response(...)`, and that first touch of `Response`
 * loads Node's whole fetch implementation: about 20 ms of every PostgreSQL command's start-up,
 * for an API leadjobs never calls there. `Response` is hidden while pg loads (nothing else runs
 * then: the store is being opened) and its lazy getter put back as it was.
 */
export async function importPgModule<T>(load: () => Promise<T>): Promise<T> {
  const response = Object.getOwnPropertyDescriptor(globalThis, "Response");
  if (typeof navigator !== "undefined" || !response?.configurable || !response.get) return load();
  Object.defineProperty(globalThis, "Response", { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, "Response", response);
  }
}
