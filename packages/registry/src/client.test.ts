/**
 * The OCI client against a real registry server (Debian's docker-registry,
 * i.e. distribution) on loopback: anonymous, with htpasswd basic auth, and
 * behind a bearer-token test double; plus broken and unreachable registries.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyArtifact, listArtifacts, pullArtifact, pushArtifact, type ArtifactContent } from './artifacts.ts';
import { ContentCache } from './cache.ts';
import { RegistryClient, type RequestEvent } from './client.ts';
import { sha256 } from './digest.ts';
import { ArtifactNotFoundError, DigestMismatchError, ManifestError, RegistryAuthError, RegistryUnreachableError } from './errors.ts';
import { MEDIA_TYPES } from './media-types.ts';
import { freePort, startDockerRegistry, startFacade, startSilentServer, type TestRegistry } from './testing/index.ts';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const enc = (s: string) => new TextEncoder().encode(s);

/** A component-sized module (~150 KB) with a recognisable header, and a graph. */
const MODULE_BYTES = (() => {
  const b = new Uint8Array(150_000);
  b.set([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
  for (let i = 8; i < b.length; i++) b[i] = (i * 7919) % 251;
  return b;
})();
const MODULE: ArtifactContent = { kind: 'module', content: MODULE_BYTES, fileName: 'temperature.wasm' };
const GRAPH: ArtifactContent = { kind: 'graph', content: enc('metadata: { name: Simple graph }\n'), fileName: 'graph-simple.yaml' };

function recorder() {
  const events: RequestEvent[] = [];
  const count = (method: string, pathPart: string | RegExp) => events.filter((e) => e.method === method && (typeof pathPart === 'string' ? new URL(e.url).pathname.includes(pathPart) : pathPart.test(new URL(e.url).pathname + new URL(e.url).search))).length;
  return { events, onRequest: (e: RequestEvent) => events.push(e), count, reset: () => events.splice(0) };
}

describe('RegistryClient: anonymous registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startDockerRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('pushes a module in chunks and a graph monolithically, and pulls both back byte for byte', async () => {
    const r = recorder();
    const client = new RegistryClient({ registry: reg.host, chunkSize: 64 * 1024, onRequest: r.onRequest });
    const mod = await pushArtifact(client, 'samples/temperature', ['1.0.0'], MODULE);
    expect(mod.blobs.map((b) => b.via)).toEqual(['upload', 'upload']);
    expect(r.count('PATCH', '/blobs/uploads/')).toBe(3); // 150 000 bytes in 64 KiB chunks
    r.reset();
    const graph = await pushArtifact(client, 'samples/graph-simple', ['1.0.0', 'latest'], GRAPH);
    expect(r.count('PATCH', '/blobs/uploads/')).toBe(0);
    expect(r.count('PUT', '/blobs/uploads/')).toBe(2);
    expect(graph.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const pulledModule = await pullArtifact(client, 'samples/temperature', '1.0.0');
    expect(pulledModule).toMatchObject({ kind: 'module', manifestDigest: mod.digest, fileName: 'temperature.wasm' });
    expect(pulledModule.content).toEqual(MODULE_BYTES);
    const pulledGraph = await pullArtifact(client, 'samples/graph-simple', 'latest', { expect: 'graph' });
    expect(new TextDecoder().decode(pulledGraph.content)).toBe('metadata: { name: Simple graph }\n');
    const manifest = await client.fetchManifest('samples/graph-simple', graph.digest);
    expect(manifest.descriptor).toEqual({ mediaType: MEDIA_TYPES.ociManifest, digest: graph.digest, size: graph.size });
  });

  it('follows catalog and tag pages', async () => {
    const client = new RegistryClient({ registry: reg.host });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await pushArtifact(client, `paged/${name}`, ['1', '2', '3', '4', '5'].map((t) => `${name}${t}`), GRAPH);
    const r = recorder();
    const paged = new RegistryClient({ registry: reg.host, pageSize: 2, onRequest: r.onRequest });
    const repos = await paged.listRepositories();
    expect(repos.filter((x) => x.startsWith('paged/'))).toEqual(['paged/a', 'paged/b', 'paged/c', 'paged/d', 'paged/e']);
    expect(r.count('GET', '/v2/_catalog')).toBe(Math.ceil(repos.length / 2) + (repos.length % 2 ? 0 : 1));
  });

  it('follows tag pages (Link rel="next")', async () => {
    // distribution 2.8 sends all tags in one page, so a TEST DOUBLE in front of it pages them, as newer registries do.
    const pages: Record<string, { tags: string[]; next?: string }> = {
      '': { tags: ['t1', 't2'], next: '/v2/paged/tags/tags/list?n=2&last=t2' },
      t2: { tags: ['t3', 't4'], next: '/v2/paged/tags/tags/list?n=2&last=t4' },
      t4: { tags: ['t5'] },
    };
    let last = '';
    const facade = await startFacade({
      upstream: reg.host,
      intercept: (_method, path) => {
        if (path !== '/v2/paged/tags/tags/list') return undefined;
        const page = pages[last]!;
        last = page.tags[page.tags.length - 1]!;
        return { status: 200, headers: { 'Content-Type': 'application/json', ...(page.next ? { Link: `<${page.next}>; rel="next"` } : {}) }, body: JSON.stringify({ name: 'paged/tags', tags: page.tags }) };
      },
    });
    try {
      const r = recorder();
      const client = new RegistryClient({ registry: facade.host, pageSize: 2, onRequest: r.onRequest });
      expect(await client.listTags('paged/tags')).toEqual(['t1', 't2', 't3', 't4', 't5']);
      expect(r.events.map((e) => new URL(e.url).search)).toEqual(['?n=2', '?n=2&last=t2', '?n=2&last=t4']);
    } finally {
      await facade.stop();
    }
  });

  it('mounts blobs it knows in another repository instead of uploading them again', async () => {
    const r = recorder();
    const client = new RegistryClient({ registry: reg.host, onRequest: r.onRequest });
    await pushArtifact(client, 'mount/source', ['1.0.0'], MODULE);
    r.reset();
    const again = await pushArtifact(client, 'mount/target', ['1.0.0'], MODULE);
    expect(again.blobs.map((b) => b.via)).toEqual(['mount', 'mount']);
    expect(r.count('POST', /mount=sha256.*from=mount%2Fsource/)).toBe(2);
    expect(r.count('PUT', '/blobs/uploads/')).toBe(0);

    // A fresh client copying within the registry mounts too.
    const r2 = recorder();
    const fresh = new RegistryClient({ registry: reg.host, onRequest: r2.onRequest });
    const copied = await copyArtifact(fresh, 'mount/source', '1.0.0', fresh, 'mount/copy', ['2.0.0']);
    expect(copied.digest).toBe(again.digest);
    expect(r2.count('POST', /mount=/)).toBe(2);
    expect(r2.count('GET', '/blobs/')).toBe(0);
    expect((await pullArtifact(fresh, 'mount/copy', '2.0.0')).content).toEqual(MODULE_BYTES);
  });

  it('says which is unknown: the repository or the tag', async () => {
    const client = new RegistryClient({ registry: reg.host });
    await pushArtifact(client, 'known/repo', ['1.0.0'], GRAPH);
    const missingTag = await pullArtifact(client, 'known/repo', '9.9.9').catch((e: unknown) => e);
    expect(missingTag).toBeInstanceOf(ArtifactNotFoundError);
    expect((missingTag as Error).message).toBe(`registry ${reg.host}: tag known/repo:9.9.9 not found`);
    await expect(pullArtifact(client, 'unknown/repo', '1.0.0')).rejects.toThrow(`registry ${reg.host}: repository unknown/repo not found`);
    await expect(client.listTags('unknown/repo')).rejects.toThrow(`registry ${reg.host}: repository unknown/repo not found`);
    await expect(client.fetchBlob('known/repo', { digest: sha256(enc('never pushed')) })).rejects.toThrow(/blob known\/repo@sha256:[0-9a-f]+ not found/);
  });

  it('reads Docker v2 schema 2 manifests and OCI indexes, listing them as other next to graphs and modules', async () => {
    const client = new RegistryClient({ registry: reg.host });
    const repo = 'mixed/things';
    const mod = await pushArtifact(client, repo, ['module'], MODULE);
    await pushArtifact(client, repo, ['graph'], GRAPH);
    const config = await client.pushBlob(repo, enc('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'));
    const layer = await client.pushBlob(repo, enc('not really a tarball'));
    const docker = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.dockerManifest,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: config.digest, size: config.size },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: layer.digest, size: layer.size }],
    };
    await client.pushManifest(repo, enc(JSON.stringify(docker)), MEDIA_TYPES.dockerManifest, 'docker-image');
    const index = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: mod.digest, size: mod.size, platform: { architecture: 'wasm', os: 'wasip2' } }] };
    await client.pushManifest(repo, enc(JSON.stringify(index)), MEDIA_TYPES.ociIndex, 'index');

    const fetched = await client.fetchManifest(repo, 'docker-image');
    expect(fetched.descriptor.mediaType).toBe(MEDIA_TYPES.dockerManifest);
    const listed = Object.fromEntries((await listArtifacts(client, repo)).map((a) => [a.tag, a]));
    expect(listed.module).toMatchObject({ kind: 'module', digest: mod.digest });
    // The size shown in the browser: config and layers of the manifest.
    const modManifest = (await client.fetchManifest(repo, 'module')).manifest as { config: { size: number }; layers: { size: number }[] };
    expect(listed.module!.size).toBe(modManifest.config.size + modManifest.layers.reduce((n, l) => n + l.size, 0));
    expect(listed.module!.size).toBeGreaterThanOrEqual(MODULE_BYTES.length);
    expect(listed.index!.size).toBeUndefined();
    expect(listed.graph).toMatchObject({ kind: 'graph' });
    expect(listed['docker-image']).toMatchObject({ kind: 'other', mediaType: MEDIA_TYPES.dockerManifest, detail: 'config application/vnd.docker.container.image.v1+json, layers application/vnd.docker.image.rootfs.diff.tar.gzip' });
    expect(listed.index).toMatchObject({ kind: 'other', mediaType: MEDIA_TYPES.ociIndex, detail: `${MEDIA_TYPES.ociIndex} of 1 manifest` });
    await expect(pullArtifact(client, repo, 'docker-image')).rejects.toThrow(`registry ${reg.host}: mixed/things:docker-image is not a graph or module artifact (config application/vnd.docker.container.image.v1+json`);
    await expect(pullArtifact(client, repo, 'index')).rejects.toThrow(/mixed\/things:index is an image index/);
    // Copying an index copies its child manifests and their blobs.
    const layout = await import('./oci-layout.ts').then((m) => new m.OciLayoutRegistry(tmp('wgs-copy-')));
    await copyArtifact(client, repo, 'index', layout, 'copied/index', ['1']);
    expect((await layout.pull('copied/index', mod.digest)).content).toEqual(MODULE_BYTES);
  });

  it('finds referrers through the tag schema when the registry has no referrers API', async () => {
    const r = recorder();
    const client = new RegistryClient({ registry: reg.host, onRequest: r.onRequest });
    const repo = 'refs/module';
    const subject = await pushArtifact(client, repo, ['1.0.0'], MODULE);
    expect(await client.referrers(repo, subject.digest)).toEqual([]);
    const empty = await client.pushBlob(repo, enc('{}'));
    const sig = {
      schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, artifactType: 'application/vnd.example.sbom',
      config: { mediaType: MEDIA_TYPES.emptyJson, digest: empty.digest, size: 2 }, layers: [],
      subject: { mediaType: MEDIA_TYPES.ociManifest, digest: subject.digest, size: subject.size },
    };
    const sigDesc = await client.pushManifest(repo, enc(JSON.stringify(sig)), MEDIA_TYPES.ociManifest);
    const fallback = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [{ ...sigDesc, artifactType: sig.artifactType }] };
    await client.pushManifest(repo, enc(JSON.stringify(fallback)), MEDIA_TYPES.ociIndex, `sha256-${subject.digest.slice(7)}`);
    r.reset();
    expect(await client.referrers(repo, subject.digest)).toEqual([expect.objectContaining({ digest: sigDesc.digest, artifactType: 'application/vnd.example.sbom' })]);
    expect(await client.referrers(repo, subject.digest, 'application/other')).toEqual([]);
    expect(r.count('GET', `/referrers/${subject.digest}`)).toBe(2);
  });

  it('uses the referrers API where the registry has it', async () => {
    const client = new RegistryClient({ registry: reg.host });
    const subject = await pushArtifact(client, 'refs/api', ['1.0.0'], MODULE);
    const sbom = { mediaType: MEDIA_TYPES.ociManifest, digest: sha256(enc('sbom')), size: 4, artifactType: 'application/vnd.example.sbom' };
    const sig = { mediaType: MEDIA_TYPES.ociManifest, digest: sha256(enc('sig')), size: 3, artifactType: 'application/vnd.example.signature' };
    // distribution 2.8 has no referrers API: a TEST DOUBLE answers it as an OCI 1.1 registry does (unfiltered, to check the client filters).
    const facade = await startFacade({
      upstream: reg.host,
      intercept: (_method, path) => (path === `/v2/refs/api/referrers/${subject.digest}`
        ? { status: 200, headers: { 'Content-Type': MEDIA_TYPES.ociIndex }, body: JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [sbom, sig] }) }
        : undefined),
    });
    try {
      const r = recorder();
      const viaApi = new RegistryClient({ registry: facade.host, onRequest: r.onRequest });
      expect(await viaApi.referrers('refs/api', subject.digest)).toEqual([sbom, sig]);
      expect(await viaApi.referrers('refs/api', subject.digest, 'application/vnd.example.signature')).toEqual([sig]);
      expect(r.events.map((e) => new URL(e.url).pathname + new URL(e.url).search)).toEqual([
        `/v2/refs/api/referrers/${subject.digest}`,
        `/v2/refs/api/referrers/${subject.digest}?artifactType=application%2Fvnd.example.signature`,
      ]);
    } finally {
      await facade.stop();
    }
  });

  it('pulls through the content cache: a module is downloaded once; by digest the registry is not asked at all', async () => {
    const client = new RegistryClient({ registry: reg.host });
    const pushed = await pushArtifact(client, 'cached/temperature', ['1.0.0'], MODULE);
    const cache = new ContentCache(tmp('wgs-cache-'));
    const r = recorder();
    const reader = new RegistryClient({ registry: reg.host, onRequest: r.onRequest });
    expect((await pullArtifact(reader, 'cached/temperature', '1.0.0', { cache })).source).toBe('registry');
    expect(r.count('GET', '/blobs/')).toBe(1);
    expect(existsSync(cache.blobPath(sha256(MODULE_BYTES)))).toBe(true);
    r.reset();
    const second = await pullArtifact(reader, 'cached/temperature', '1.0.0', { cache });
    expect(second.source).toBe('cache');
    expect(second.content).toEqual(MODULE_BYTES);
    expect(r.events.map((e) => `${e.method} ${new URL(e.url).pathname}`)).toEqual(['HEAD /v2/cached/temperature/manifests/1.0.0']);
    r.reset();
    expect((await pullArtifact(reader, 'cached/temperature', pushed.digest, { cache })).source).toBe('cache');
    expect(r.events).toEqual([]);
  });
});

describe('RegistryClient: broken, down and slow registries', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startDockerRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('a corrupted blob fails with a digest mismatch, and nothing of it is cached', async () => {
    const client = new RegistryClient({ registry: reg.host });
    await pushArtifact(client, 'bad/corrupt', ['1.0.0'], MODULE);
    const layerDigest = sha256(MODULE_BYTES);
    const file = reg.blobFile(layerDigest);
    const data = readFileSync(file);
    data[1000] = data[1000]! ^ 0xff; // same length, different content
    writeFileSync(file, data);
    const cache = new ContentCache(tmp('wgs-cache-'));
    const err = await pullArtifact(new RegistryClient({ registry: reg.host }), 'bad/corrupt', '1.0.0', { cache }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toMatch(new RegExp(`^registry ${reg.host}: blob bad/corrupt@${layerDigest} does not match its digest ${layerDigest} \\(content hashes to sha256:[0-9a-f]{64}\\); nothing was kept$`));
    expect(await cache.has(layerDigest)).toBe(false);
    expect(await cache.recallTag(reg.host, 'bad/corrupt', '1.0.0')).toBeUndefined();
  });

  it('a manifest that is not JSON is a clear error and is not cached', async () => {
    // TEST DOUBLE in front of the real registry: answers one manifest with HTML.
    const facade = await startFacade({
      upstream: reg.host,
      intercept: (method, path) => (path === '/v2/bad/html/manifests/1.0.0'
        ? { status: 200, headers: { 'Content-Type': MEDIA_TYPES.ociManifest }, body: method === 'HEAD' ? '' : '<html><body>Login</body></html>' }
        : undefined),
    });
    try {
      const cache = new ContentCache(tmp('wgs-cache-'));
      const client = new RegistryClient({ registry: facade.host });
      const err = await client.fetchManifest('bad/html', '1.0.0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ManifestError);
      expect((err as Error).message).toBe(`registry ${facade.host}: manifest of bad/html:1.0.0 is not JSON (${MEDIA_TYPES.ociManifest}, 31 bytes)`);
      await expect(pullArtifact(client, 'bad/html', '1.0.0', { cache })).rejects.toThrow(ManifestError);
      expect(existsSync(join(cache.root, 'blobs'))).toBe(false);
    } finally {
      await facade.stop();
    }
  });

  it('a registry that is down is reported by name, without a crash', async () => {
    const port = await freePort();
    const client = new RegistryClient({ registry: `127.0.0.1:${port}` });
    const err = await client.listRepositories().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnreachableError);
    expect((err as Error).message).toBe(`registry 127.0.0.1:${port}: cannot connect to http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('a registry that never answers times out, naming the registry', async () => {
    const silent = await startSilentServer();
    try {
      const client = new RegistryClient({ registry: silent.host, timeoutMs: 400 });
      const started = Date.now();
      const err = await pullArtifact(client, 'any/thing', '1.0.0', { cache: new ContentCache(tmp('wgs-cache-')) }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err).toBeInstanceOf(RegistryUnreachableError);
      expect((err as RegistryUnreachableError).timedOut).toBe(true);
      expect((err as Error).message).toBe(`registry ${silent.host}: no answer within 400 ms (http://${silent.host})`);
    } finally {
      await silent.stop();
    }
  });

  it('uses the last known digest of a tag while the registry is unreachable', async () => {
    const own = await startDockerRegistry();
    const cache = new ContentCache(tmp('wgs-cache-'));
    let digest: string;
    try {
      const client = new RegistryClient({ registry: own.host });
      digest = (await pushArtifact(client, 'offline/temperature', ['1.0.0'], MODULE)).digest;
      await pullArtifact(client, 'offline/temperature', '1.0.0', { cache });
    } finally {
      await own.stop();
    }
    const client = new RegistryClient({ registry: own.host, timeoutMs: 2_000 });
    const offline = await pullArtifact(client, 'offline/temperature', '1.0.0', { cache });
    expect(offline).toMatchObject({ source: 'offline', manifestDigest: digest, kind: 'module' });
    expect(offline.content).toEqual(MODULE_BYTES);
    expect((await pullArtifact(client, 'offline/temperature', digest, { cache })).source).toBe('cache');
    // A tag never pulled cannot be served offline.
    await expect(pullArtifact(client, 'offline/temperature', '2.0.0', { cache })).rejects.toThrow(RegistryUnreachableError);
  });

  it('refuses malformed repository names and references before sending anything', async () => {
    const r = recorder();
    const client = new RegistryClient({ registry: reg.host, onRequest: r.onRequest });
    await expect(client.listTags('../../v2/_catalog')).rejects.toThrow(`registry ${reg.host}: invalid repository name "../../v2/_catalog"`);
    await expect(client.fetchManifest('Upper/Case', '1')).rejects.toThrow('invalid repository name "Upper/Case"');
    await expect(client.resolve('ok/name', 'bad tag')).rejects.toThrow('invalid tag or digest "bad tag" for ok/name');
    expect(r.events).toEqual([]);
  });

  it('chooses plain HTTP only for loopback registries unless told otherwise', () => {
    expect(new RegistryClient({ registry: '127.0.0.1:5000' }).baseUrl).toBe('http://127.0.0.1:5000');
    expect(new RegistryClient({ registry: 'localhost:5000' }).baseUrl).toBe('http://localhost:5000');
    expect(new RegistryClient({ registry: '[::1]:5000' }).baseUrl).toBe('http://[::1]:5000');
    expect(new RegistryClient({ registry: 'myacr.azurecr.io' }).baseUrl).toBe('https://myacr.azurecr.io');
    expect(new RegistryClient({ registry: 'registry.lan:5000', plainHttp: true }).baseUrl).toBe('http://registry.lan:5000');
    expect(new RegistryClient({ registry: 'docker.io' }).baseUrl).toBe('https://registry-1.docker.io');
  });
});

describe('RegistryClient: htpasswd basic auth', () => {
  let reg: TestRegistry;
  const user = { username: 'alice', password: 'correct horse' };
  beforeAll(async () => {
    reg = await startDockerRegistry({ htpasswd: user });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('pushes, lists and pulls with the right password, answering the challenge once', async () => {
    const r = recorder();
    const client = new RegistryClient({ registry: reg.host, credentials: { kind: 'basic', ...user }, onRequest: r.onRequest });
    const pushed = await pushArtifact(client, 'private/temperature', ['1.0.0'], MODULE);
    expect((await pullArtifact(client, 'private/temperature', '1.0.0')).manifestDigest).toBe(pushed.digest);
    expect(await client.listRepositories()).toEqual(['private/temperature']);
    expect(r.events.filter((e) => e.status === 401)).toHaveLength(1);
  });

  it('a wrong password is a clear 401 error naming the registry', async () => {
    const client = new RegistryClient({ registry: reg.host, credentials: { kind: 'basic', username: 'alice', password: 'wrong' } });
    const err = await pullArtifact(client, 'private/temperature', '1.0.0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryAuthError);
    expect((err as RegistryAuthError).status).toBe(401);
    expect((err as Error).message).toBe(`registry ${reg.host}: authentication failed for user "alice" (401 Unauthorized: wrong username or password)`);
  });

  it('no credentials is a clear error too', async () => {
    const client = new RegistryClient({ registry: reg.host });
    await expect(client.listTags('private/temperature')).rejects.toThrow(`registry ${reg.host}: authentication required (401 Unauthorized, basic realm "wgs-test") and no username and password were given`);
  });
});

describe('RegistryClient: bearer tokens (WWW-Authenticate realm/service/scope)', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startDockerRegistry();
    await pushArtifact(new RegistryClient({ registry: reg.host }), 'team/a', ['1.0.0'], MODULE);
    await pushArtifact(new RegistryClient({ registry: reg.host }), 'team/b', ['1.0.0'], GRAPH);
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('fetches a token per scope and reuses it', async () => {
    // TEST DOUBLE token registry in front of the real one (see testing/facade.ts).
    const facade = await startFacade({ upstream: reg.host, bearer: { username: 'bob', password: 'pw' } });
    try {
      const r = recorder();
      const client = new RegistryClient({ registry: facade.host, credentials: { kind: 'basic', username: 'bob', password: 'pw' }, onRequest: r.onRequest });
      expect((await pullArtifact(client, 'team/a', '1.0.0')).content).toEqual(MODULE_BYTES);
      expect((await pullArtifact(client, 'team/a', '1.0.0')).content).toEqual(MODULE_BYTES);
      expect((await pullArtifact(client, 'team/b', '1.0.0', { expect: 'graph' })).kind).toBe('graph');
      expect(await client.listRepositories()).toEqual(['team/a', 'team/b']);
      await pushArtifact(client, 'team/a', ['2.0.0'], GRAPH);
      // The graph's layer was pulled from team/b, so pushing it to team/a mounts it (pull on team/b, push on team/a).
      expect(Object.fromEntries(facade.tokenRequests)).toEqual({
        'repository:team/a:pull': 1,
        'repository:team/b:pull': 1,
        'registry:catalog:*': 1,
        'repository:team/a:pull,push': 1,
        'repository:team/a:pull,push repository:team/b:pull': 1,
      });
      expect(r.count('POST', /mount=.*from=team%2Fb/)).toBe(2); // the first answered 401
      // One 401 per scope, then the token is sent up front.
      expect(r.events.filter((e) => e.status === 401)).toHaveLength(5);
    } finally {
      await facade.stop();
    }
  });

  it('asks for a new token when the cached one has expired', async () => {
    const facade = await startFacade({ upstream: reg.host, bearer: { expiresIn: 1 } });
    try {
      const client = new RegistryClient({ registry: facade.host });
      await client.listTags('team/a');
      await client.listTags('team/a');
      expect(facade.tokenRequests.get('repository:team/a:pull')).toBe(1);
      await new Promise((r) => setTimeout(r, 1_100));
      await client.listTags('team/a');
      expect(facade.tokenRequests.get('repository:team/a:pull')).toBe(2);
    } finally {
      await facade.stop();
    }
  });

  it('anonymous tokens work for public pulls; a refused login names the token service', async () => {
    const open = await startFacade({ upstream: reg.host, bearer: {} });
    const locked = await startFacade({ upstream: reg.host, bearer: { username: 'bob', password: 'pw' } });
    try {
      expect((await pullArtifact(new RegistryClient({ registry: open.host }), 'team/a', '1.0.0')).kind).toBe('module');
      const err = await new RegistryClient({ registry: locked.host, credentials: { kind: 'basic', username: 'bob', password: 'nope' } }).listTags('team/a').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryAuthError);
      expect((err as Error).message).toBe(`registry ${locked.host}: authentication failed for user "bob" at the token service http://${locked.host} (401: UNAUTHORIZED: invalid username or password)`);
    } finally {
      await open.stop();
      await locked.stop();
    }
  });
});
