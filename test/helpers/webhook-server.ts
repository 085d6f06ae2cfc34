import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

export interface WebhookServer {
  url: string;
  /** Bodies received, parsed, in order (failed requests included). */
  received: Array<{ status: number; body: any }>;
  /** Status to answer each request with; the last one repeats. */
  statuses: number[];
}

/** A Slack-compatible webhook receiver on 127.0.0.1, closed after the test. */
export async function webhookServer(statuses: number[] = [200]): Promise<WebhookServer> {
  const state: WebhookServer = { url: "", received: [], statuses };
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => (text += d.toString()));
    req.on("end", () => {
      const status = state.statuses[Math.min(state.received.length, state.statuses.length - 1)] ?? 200;
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      state.received.push({ status, body });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status < 300 ? "ok" : "invalid_token");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret`;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}
