import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAuth } from './plugins/auth.ts';
import { registerWebApp } from './static.ts';

describe('serving the web app', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wgs-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>designer</title>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(dir, '..', 'secret.txt'), 'no');
    app = Fastify();
    expect(await registerWebApp(app, dir)).toBe(true);
    registerAuth(app, 'tok');
    app.get('/api/things', async () => ({ ok: true }));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', 'secret.txt'), { force: true });
  });

  it('serves index.html at / and for unknown page paths, without a token', async () => {
    for (const url of ['/', '/?token=abc', '/graphs/complex']) {
      const res = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>designer</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves assets as files, cacheable', async () => {
    const res = await app.inject({ url: '/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
  });

  it('never serves files outside its folder', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const res = await app.inject({ url });
      expect(res.body, url).not.toBe('no');
    }
  });

  it('leaves the API to the API: token required, unknown API paths are not the page', async () => {
    expect((await app.inject({ url: '/api/things' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/things', headers: { authorization: 'Bearer tok' } })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/api/nothing', headers: { authorization: 'Bearer tok' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/' })).statusCode).toBe(401);
    // Not a browser navigation: the usual 404 (after the token check), not the page.
    expect((await app.inject({ url: '/nothing', headers: { authorization: 'Bearer tok' } })).statusCode).toBe(404);
  });

  it('is skipped when there is no built app', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wgs-web-empty-'));
    expect(await registerWebApp(Fastify(), empty)).toBe(false);
    rmSync(empty, { recursive: true });
  });
});
