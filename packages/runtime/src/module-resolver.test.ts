/**
 * RegistryModuleResolver: module references of a graph resolved against the
 * graph's registry endpoint (a real docker-registry on loopback), through the
 * content cache.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentCache, embeddedRegistry, pushArtifact, RegistryClient, type RequestEvent } from '@wgs/registry';
import { startDockerRegistry, type TestRegistry } from '@wgs/registry/testing';
import { prepareComponent } from './components/component-cache.ts';
import { ModuleResolutionError, RegistryModuleResolver } from './module-resolver.ts';

const SAMPLES = 'azure-samples/explore-iot-operations';

describe('RegistryModuleResolver', () => {
  let reg: TestRegistry;
  let component: Uint8Array;
  beforeAll(async () => {
    reg = await startDockerRegistry();
    component = (await embeddedRegistry().pull(`${SAMPLES}/temperature`, '1.0.0')).content;
    const client = new RegistryClient({ registry: reg.host });
    await pushArtifact(client, `${SAMPLES}/temperature`, ['1.0.0'], { kind: 'module', content: component, fileName: 'temperature.wasm' });
    await pushArtifact(client, `${SAMPLES}/graph-simple`, ['1.0.0'], { kind: 'graph', content: new TextEncoder().encode('metadata: {}\n'), fileName: 'g.yaml' });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  const resolverFor = (endpointHost: string, cache = new ContentCache(mkdtempSync(join(tmpdir(), 'wgs-cache-'))), onRequest?: (e: RequestEvent) => void) =>
    new RegistryModuleResolver({ endpointHost, store: new RegistryClient({ registry: reg.host, onRequest }), cache });

  it('resolves repository-qualified references against a hostname-only endpoint, to a loadable component', async () => {
    const bytes = await resolverFor(reg.host).resolve(`${SAMPLES}/temperature:1.0.0`);
    expect(bytes).toEqual(component);
    expect((await prepareComponent(bytes)).exportedKinds).toContain('map');
  });

  it('resolves short and qualified references against a host-with-path endpoint to the same artifact', async () => {
    const resolver = resolverFor(`${reg.host}/${SAMPLES}`);
    expect(resolver.reference('temperature:1.0.0').reference).toBe(`${reg.host}/${SAMPLES}/temperature:1.0.0`);
    expect(await resolver.resolve('temperature:1.0.0')).toEqual(component);
    expect(await resolver.resolve(`${SAMPLES}/temperature:1.0.0`)).toEqual(component);
  });

  it('downloads a module once: later resolutions only check the tag', async () => {
    const cache = new ContentCache(mkdtempSync(join(tmpdir(), 'wgs-cache-')));
    const events: string[] = [];
    const onRequest = (e: RequestEvent) => events.push(`${e.method} ${new URL(e.url).pathname.replace(/sha256:.*/, 'sha256:…')}`);
    await resolverFor(reg.host, cache, onRequest).resolve(`${SAMPLES}/temperature:1.0.0`);
    expect(events.filter((e) => e.includes('/blobs/'))).toHaveLength(1);
    events.length = 0;
    expect(await resolverFor(reg.host, cache, onRequest).resolve(`${SAMPLES}/temperature:1.0.0`)).toEqual(component);
    expect(events).toEqual([`HEAD /v2/${SAMPLES}/temperature/manifests/1.0.0`]);
  });

  it('fails clearly, and looks nowhere else, for missing modules, graphs used as modules, files and other registries', async () => {
    const resolver = resolverFor(reg.host);
    const missing = await resolver.resolve(`${SAMPLES}/window:1.0.0`).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModuleResolutionError);
    expect((missing as Error).message).toBe(`module "${SAMPLES}/window:1.0.0": ${reg.host}/${SAMPLES}/window:1.0.0: registry ${reg.host}: repository ${SAMPLES}/window not found`);
    await expect(resolver.resolve(`${SAMPLES}/temperature:2.0.0`)).rejects.toThrow(`tag ${SAMPLES}/temperature:2.0.0 not found`);
    await expect(resolver.resolve(`${SAMPLES}/graph-simple:1.0.0`)).rejects.toThrow('is a graph artifact, not a module');
    await expect(resolver.resolve('./temperature.wasm')).rejects.toThrow(`is a file path, but modules of a graph from ${reg.host} must be artifacts in that registry`);
    await expect(resolver.resolve('ghcr.io/azure-samples/explore-iot-operations/temperature:1.0.0')).rejects.toThrow(`names registry ghcr.io, but modules resolve against the graph's registry endpoint ${reg.host}`);
  });
});
