/**
 * FAKE REGISTRY (fault injection): a loopback HTTP server that answers like a
 * broken or hostile registry, which a real one cannot be made to do:
 * - `/v2/_catalog`, tag lists, manifests: 200 with a JSON body that never ends
 *   (with `catalog: 'endless-pages'`, the catalog is well-formed pages of 1,000
 *   names instead, each linking to another, forever);
 * - `/v2/<repo>/blobs/<digest>`: 200 with bytes that never end.
 * Bodies are written only as fast as the client reads (back-pressure), so the
 * bytes sent say how far the client read before it stopped.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface EndlessRegistry {
  host: string;
  /** Body bytes written so far, over all answers. */
  readonly bytesSent: number;
  stop(): Promise<void>;
}

const JSON_CHUNK = Buffer.from('"repository-name-that-goes-on",'.repeat(2048));
const BLOB_CHUNK = Buffer.alloc(64 * 1024, 0x61);

export async function startEndlessRegistry(options: { catalog?: 'endless-body' | 'endless-pages' } = {}): Promise<EndlessRegistry> {
  let bytesSent = 0;
  const sockets = new Set<Socket>();

  const endless = (res: ServerResponse, head: Buffer, chunk: Buffer) => {
    let open = true;
    res.on('close', () => (open = false));
    const pump = () => {
      while (open) {
        bytesSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.write(head);
    pump();
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path === '/v2/' || path === '/v2') return void res.end('{}');
    if (path === '/v2/_catalog' && options.catalog === 'endless-pages') {
      const page = Number(url.searchParams.get('page') ?? 0);
      const names = Array.from({ length: 1_000 }, (_, i) => `r${page}-${i}`);
      res.setHeader('Link', `</v2/_catalog?page=${page + 1}>; rel="next"`);
      return void res.end(JSON.stringify({ repositories: names }));
    }
    res.writeHead(200, { 'Content-Type': path.includes('/blobs/') ? 'application/octet-stream' : 'application/json' });
    if (req.method === 'HEAD') return void res.end(); // no body to send (writes would be dropped, never back-pressured)
    if (path.includes('/blobs/')) endless(res, Buffer.alloc(0), BLOB_CHUNK);
    else endless(res, Buffer.from('{"repositories":['), JSON_CHUNK);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    get bytesSent() {
      return bytesSent;
    },
    stop: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
