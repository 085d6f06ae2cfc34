import type { IncomingMessage, ServerResponse } from "node:http";
import { constants, deflateRawSync } from "node:zlib";
import { LocalServer } from "./local-server.ts";

const SHOP = (links: string) =>
  `<!DOCTYPE html><html><head><title>Butiken</title></head><body><h1>Butiken</h1>${links}<p>${"Välkommen till butiken. ".repeat(20)}</p></body></html>`;

/** 1 MiB of zeros as a deflate block ending in a full flush: repeated, it is a valid stream of any length. */
const ZEROS_BLOCK = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);

/** Writes `chunk` `times` times, as fast as the client reads, until it hangs up. */
function stream(res: ServerResponse, chunk: Buffer, times: number, count: (n: number) => void): void {
  let sent = 0;
  const more = () => {
    while (sent < times) {
      sent++;
      count(chunk.length);
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    res.end(); // never reached in practice: the trailer of so long a stream is not worth computing
  };
  res.once("close", () => {
    sent = times;
  });
  more();
}

/**
 * A shop whose checkout (/kassa) is a gzip bomb: 10 GiB of zeros, about 10 MB on the wire, made
 * on the fly. `/endless` is an uncompressed HTML page of 10 GiB, streamed.
 */
export class HostileShop extends LocalServer {
  /** Bytes put on the wire per path. */
  readonly sent = new Map<string, number>();

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const count = (n: number) => this.sent.set(path, (this.sent.get(path) ?? 0) + n);
    if (path === "/kassa") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "gzip" });
      res.write(GZIP_HEADER);
      return stream(res, ZEROS_BLOCK, 10 * 1024, count);
    }
    if (path === "/endless") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.write("<!DOCTYPE html><html><head><title>Oändlig</title></head><body>");
      return stream(res, Buffer.from(`<p>${"Lång text om ingenting. ".repeat(2600)}</p>\n`), 160 * 1024, count);
    }
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.end(SHOP(`<a href="/kassa">Till kassan</a>`));
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}

/**
 * Pages that navigate forever: `/refresh` refreshes to itself with a meta tag, `/a` and `/b`
 * refresh to each other. Every request's arrival time is kept, with its path.
 */
export class RefreshLoop extends LocalServer {
  readonly arrivals: Array<{ path: string; at: number }> = [];

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    if (path === "/robots.txt") return void res.writeHead(404).end();
    this.arrivals.push({ path, at: Date.now() });
    const next = path === "/a" ? "/b" : path === "/b" ? "/a" : path;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0;url=${next}"><title>Vänta</title></head><body><p>${"Du skickas vidare. ".repeat(20)}</p></body></html>`,
    );
  }
}
