/**
 * The server's security rules against the real Fastify app on a real port:
 * where the token may come from, which origins may open the preview socket,
 * the cap on preview sockets, the response headers, and the public favicon.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { FileStore } from '@wgs/cluster-store';
import { buildApp } from './app.ts';
import { defaultConfig, type ServerConfig } from './config.ts';

const TOKEN = 'security-token';
const auth = { authorization: `Bearer ${TOKEN}` };

const webDir = mkdtempSync(join(tmpdir(), 'wgs-sec-web-'));
mkdirSync(join(webDir, 'assets'));
writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>designer</title>');
writeFileSync(join(webDir, 'assets', 'app-1.js'), 'console.log(1)');

async function start(overrides: Partial<ServerConfig> = {}): Promise<{ app: FastifyInstance; port: number }> {
  // The preview socket is opened but never started here: no broker is reached.
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: mkdtempSync(join(tmpdir(), 'wgs-sec-')), brokerUrl: 'mqtt://127.0.0.1:1', logLevel: 'silent', ...overrides });
  const app = await buildApp(config, { store: new FileStore(config.storeDir), webDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as { port: number }).port };
}

/** Opens the preview socket; resolves with the socket once open, rejects with the HTTP status when refused. */
function openSocket(port: number, query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/preview?${query}`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let app: FastifyInstance;
let port: number;
beforeAll(async () => {
  ({ app, port } = await start());
});
afterAll(async () => {
  await app?.close();
});

describe('the token', () => {
  it('is taken from the query on the preview socket only; REST needs the Authorization header', async () => {
    expect((await app.inject({ url: '/api/info', headers: auth })).statusCode).toBe(200);
    for (const url of [`/api/info?token=${TOKEN}`, `/api/info?%74oken=${TOKEN}`, `/api/dataflowgraphs?token=${TOKEN}`]) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
    (await openSocket(port, `token=${TOKEN}`)).close();
    // The key is decoded as the query parser decodes it, the same way redaction reads it.
    (await openSocket(port, `%74oken=${TOKEN}`)).close();
    await expect(openSocket(port, 'token=wrong')).rejects.toThrow(/401/);
    await expect(openSocket(port, `token=${TOKEN}&token=${TOKEN}`)).rejects.toThrow(/401/);
  });
});

describe('the preview socket origin', () => {
  it('allows the default origins of the bound port and refuses others, whatever the Host header says', async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) (await openSocket(port, `token=${TOKEN}`, { origin })).close();
    await expect(openSocket(port, `token=${TOKEN}`, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    // DNS rebinding: the page's origin and the Host header agree, and both are the attacker's name.
    await expect(openSocket(port, `token=${TOKEN}`, { origin: `http://evil.example:${port}`, host: `evil.example:${port}` })).rejects.toThrow(/403/);
  });

  it('allows only the configured public origins when set', async () => {
    const other = await start({ allowedOrigins: ['https://studio.example.com'] });
    try {
      (await openSocket(other.port, `token=${TOKEN}`, { origin: 'https://studio.example.com' })).close();
      await expect(openSocket(other.port, `token=${TOKEN}`, { origin: `http://127.0.0.1:${other.port}` })).rejects.toThrow(/403/);
    } finally {
      await other.app.close();
    }
  });
});

describe('the preview socket cap', () => {
  it('closes sockets beyond the cap with 1013 and a reason, and admits again once one leaves', async () => {
    const capped = await start({ maxPreviewConnections: 2 });
    try {
      const a = await openSocket(capped.port, `token=${TOKEN}`);
      const b = await openSocket(capped.port, `token=${TOKEN}`);
      const c = await openSocket(capped.port, `token=${TOKEN}`);
      const [code, reason] = await new Promise<[number, string]>((r) => c.once('close', (code, reason) => r([code, reason.toString()])));
      expect(code).toBe(1013);
      expect(reason).toMatch(/too many preview connections \(at most 2\)/);
      await new Promise((r) => {
        a.once('close', r);
        a.close();
      });
      // The server sees the close a moment later.
      await new Promise((r) => setTimeout(r, 200));
      const d = await openSocket(capped.port, `token=${TOKEN}`);
      d.send(JSON.stringify({ type: 'pause' }));
      const answer = await new Promise<string>((r) => d.once('message', (m) => r(m.toString())));
      expect(JSON.parse(answer)).toMatchObject({ type: 'error', code: 'no-session' });
      b.close();
      d.close();
    } finally {
      await capped.app.close();
    }
  });
});

describe('response headers', () => {
  it('sets CSP, frame-ancestors, nosniff and no-referrer on the page, assets and API answers alike', async () => {
    const answers = await Promise.all([
      app.inject({ url: '/', headers: { accept: 'text/html' } }),
      app.inject({ url: '/assets/app-1.js' }),
      app.inject({ url: '/api/info', headers: auth }),
      app.inject({ url: '/api/info' }),
      app.inject({ url: '/nothing-here', headers: auth }),
      app.inject({ url: '/healthz' }),
    ]);
    for (const [i, res] of answers.entries()) {
      const where = `answer ${i} (${res.statusCode})`;
      expect(res.headers['content-security-policy'], where).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy'], where).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers['content-security-policy'], where).not.toMatch(/unsafe-eval/);
      expect(res.headers['x-content-type-options'], where).toBe('nosniff');
      expect(res.headers['referrer-policy'], where).toBe('no-referrer');
    }
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 401, 404, 200]);
  });

  it('answers /favicon.ico without a token', async () => {
    const res = await app.inject({ url: '/favicon.ico', headers: { accept: 'image/avif,image/webp,*/*' } });
    expect(res.statusCode).toBe(204);
  });
});
