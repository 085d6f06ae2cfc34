import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer } from "./local-server.ts";

/** A shop whose checkout page (/kassa) loads Klarna or Walley, as `payment` says; it ships with PostNord. */
export class CheckoutShop extends LocalServer {
  payment: "klarna" | "walley" = "klarna";

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const script =
      this.payment === "klarna" ? "https://x.klarnacdn.net/kp/lib/v1/api.js" : "https://checkout.walleypay.com/walley-checkout-loader.js";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      req.url === "/kassa"
        ? `<!DOCTYPE html><html><head><title>Kassa</title><script src="${script}"></script></head><body><h1>Kassa</h1><p>Vi skickar med PostNord.</p></body></html>`
        : `<!DOCTYPE html><html><head><title>Butiken</title></head><body><h1>Butiken</h1><a href="/kassa">Till kassan</a><p>${"Välkommen till butiken. ".repeat(20)}</p></body></html>`,
    );
  }
}
