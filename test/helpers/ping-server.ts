import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

export interface Ping {
  method: string;
  path: string;
  rid: string | null;
  body: string;
}

/** A Healthchecks-like endpoint on 127.0.0.1 that records every ping. */
export async function pingServer(o: { hang?: boolean } = {}): Promise<{ url: string; pings: Ping[]; server: Server }> {
  const pings: Ping[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      pings.push({ method: req.method ?? "", path: url.pathname, rid: url.searchParams.get("rid"), body });
      if (!o.hang) res.end("OK");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  onTestFinished(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping/abc-123`, pings, server };
}
