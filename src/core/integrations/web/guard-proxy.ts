import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, isIP, type Socket } from "node:net";
import { bareHost, guardedLookup, isPrivateAddress } from "./address-guard.ts";

/** A local forward proxy that one browser context sends all its traffic through. */
export interface GuardProxy {
  /** `http://127.0.0.1:PORT`, for the context's proxyServer. */
  url: string;
  close(): Promise<void>;
}

/**
 * The browser's address guard at connect time. Chromium's own lookups and connections are out
 * of our hands: a host checked before a request may resolve to another address when Chromium
 * connects (DNS rebinding), and WebSockets (also from workers) pass no request interception.
 * Through this proxy every connection of the context (http, and the CONNECT tunnels of https
 * and ws/wss) is opened here, with the guarded lookup: a private address is refused whatever
 * asked for it. `allowed(host, port)` says which hosts may be private (--allow-private,
 * --allow-host).
 */
export async function startGuardProxy(allowed: (host: string, port: number) => boolean): Promise<GuardProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => forward(req, res, allowed));
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => tunnel(req, client, head, allowed));
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Whether a connection to host:port is refused before any lookup (an IP literal that is private). */
function refusedLiteral(host: string, port: number, allowed: (host: string, port: number) => boolean): boolean {
  return !allowed(host, port) && isIP(host) !== 0 && isPrivateAddress(host);
}

/** https, ws and wss: CONNECT host:port, then bytes both ways. */
function tunnel(req: IncomingMessage, client: Socket, head: Buffer, allowed: (host: string, port: number) => boolean): void {
  client.on("error", () => undefined);
  let target: URL;
  try {
    target = new URL(`http://${req.url ?? ""}`);
  } catch {
    return void client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
  }
  const host = bareHost(target.hostname);
  const port = Number(target.port || 443);
  if (refusedLiteral(host, port, allowed)) return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  const upstream = connect({ host, port, lookup: guardedLookup(allowed(host, port)) });
  let connected = false;
  upstream.once("connect", () => {
    connected = true;
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    if (connected) client.destroy();
    else client.end(`HTTP/1.1 ${e.code === "ADDRESS_REFUSED" ? "403 Forbidden" : "502 Bad Gateway"}\r\n\r\n`);
  });
  client.once("close", () => upstream.destroy());
}

/** Plain http: the request line carries the absolute URL. */
function forward(req: IncomingMessage, res: ServerResponse, allowed: (host: string, port: number) => boolean): void {
  let target: URL;
  try {
    target = new URL(req.url ?? "");
  } catch {
    res.writeHead(400).end();
    return;
  }
  const host = bareHost(target.hostname);
  const port = Number(target.port || 80);
  if (target.protocol !== "http:" || refusedLiteral(host, port, allowed)) {
    res.writeHead(403).end();
    return;
  }
  // No shared keep-alive pool: a pooled socket would skip the lookup that guards it.
  const upstream = httpRequest(
    target,
    { method: req.method, headers: req.headers, agent: false, lookup: guardedLookup(allowed(host, port)) },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    },
  );
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    if (!res.headersSent) res.writeHead(e.code === "ADDRESS_REFUSED" ? 403 : 502).end();
    else res.destroy();
  });
  req.pipe(upstream);
  res.once("close", () => upstream.destroy());
}
