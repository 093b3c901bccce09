import { describe, expect, it } from 'vitest';
import { createApiClient, previewSocketUrl, takeToken } from './client.ts';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe('API token', () => {
  it('is taken from ?token= once, removed from the address and kept in session storage', () => {
    const storage = memory();
    let replaced: string | undefined;
    expect(takeToken({ href: 'http://127.0.0.1:8420/?token=abc&x=1#top' }, storage, (u) => (replaced = u))).toBe('abc');
    expect(replaced).toBe('/?x=1#top');
    expect(takeToken({ href: 'http://127.0.0.1:8420/' }, storage)).toBe('abc');
    expect(takeToken({ href: 'http://127.0.0.1:8420/' }, memory())).toBeUndefined();
  });

  it('is sent as a bearer token; errors carry the server message', async () => {
    const seen: { url: string; auth: string | null; body?: unknown }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization'), body: init.body });
      if (url.includes('/artifacts')) return new Response(JSON.stringify({ code: 'not-found', message: 'no such repository' }), { status: 404 });
      if (url.endsWith('/api/registryendpoints')) return new Response(JSON.stringify({ items: [{ metadata: { name: 'embedded' } }] }));
      return new Response(JSON.stringify({ valid: true, diagnostics: [] }));
    }) as typeof fetch;
    const api = createApiClient('tok', fake);
    expect(await api.registryEndpoints()).toEqual(['embedded']);
    await expect(api.artifacts('embedded', 'a/b')).rejects.toThrow('no such repository');
    expect(await api.validate('x: 1')).toEqual({ valid: true, diagnostics: [] });
    expect(seen.map((s) => s.auth)).toEqual(['Bearer tok', 'Bearer tok', 'Bearer tok']);
    expect(seen[1]!.url).toBe('/api/registryendpoints/embedded/artifacts?repository=a%2Fb');
    expect(seen[2]!.body).toBe(JSON.stringify({ yaml: 'x: 1' }));
  });
});

describe('preview socket address', () => {
  it('is ws(s)://host/api/preview with the token as a query parameter', () => {
    expect(previewSocketUrl({ href: 'http://127.0.0.1:8420/' }, 'a b')).toBe('ws://127.0.0.1:8420/api/preview?token=a+b');
    expect(previewSocketUrl({ href: 'https://studio.example/x/y' }, undefined)).toBe('wss://studio.example/api/preview');
  });
});
