/**
 * Bounded reads: a registry answering without end (FAKE REGISTRY, a
 * fault-injecting loopback server) costs the client at most the bound, and
 * the error names the bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BYTES } from './capped-body.ts';
import { RegistryClient } from './client.ts';
import { RegistryError, ResponseTooLargeError } from './errors.ts';
import { startEndlessRegistry, type EndlessRegistry } from './testing/index.ts';

const MiB = 1024 * 1024;

/** RSS growth while `run` settles, sampled every 5 ms (the peak, not only the end). */
async function peakRssGrowth(run: () => Promise<unknown>): Promise<{ growth: number; outcome: unknown }> {
  globalThis.gc?.();
  const start = process.memoryUsage.rss();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const outcome = await run().catch((e: unknown) => e);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { growth: peak - start, outcome };
}

describe('registry answers that never end', () => {
  let endless: EndlessRegistry;
  beforeAll(async () => {
    endless = await startEndlessRegistry();
  });
  afterAll(async () => {
    await endless?.stop();
  });

  it('an endless catalog stops at 4 MiB with the limit in the error, RSS within 50 MiB', async () => {
    const client = new RegistryClient({ registry: endless.host });
    const sentBefore = endless.bytesSent;
    const { growth, outcome } = await peakRssGrowth(() => client.listRepositories());
    expect(outcome).toBeInstanceOf(ResponseTooLargeError);
    expect((outcome as ResponseTooLargeError).limit).toBe(MAX_JSON_BYTES);
    expect((outcome as Error).message).toBe(`registry ${endless.host}: catalog (page 1): the answer is larger than ${MAX_JSON_BYTES} bytes (4 MiB); stopped reading it`);
    expect(growth).toBeLessThan(50 * MiB);
    // It stopped reading: what was sent is the bound plus what sat in socket buffers, not an endless stream.
    expect(endless.bytesSent - sentBefore).toBeLessThan(MAX_JSON_BYTES + 16 * MiB);
  });

  it('an endless blob stops at its declared size, RSS within 50 MiB', async () => {
    const client = new RegistryClient({ registry: endless.host });
    const digest = `sha256:${'ab'.repeat(32)}`;
    const { growth, outcome } = await peakRssGrowth(() => client.fetchBlob('samples/module', { digest, size: 2 * MiB }));
    expect(outcome).toBeInstanceOf(ResponseTooLargeError);
    expect((outcome as Error).message).toBe(`registry ${endless.host}: blob samples/module@${digest}: the answer is larger than ${2 * MiB} bytes (2 MiB); stopped reading it`);
    expect(growth).toBeLessThan(50 * MiB);
  });

  it('an endless manifest and tag list stop at 4 MiB', async () => {
    const client = new RegistryClient({ registry: endless.host });
    await expect(client.fetchManifest('samples/module', '1.0.0')).rejects.toThrow(/manifest of samples\/module:1\.0\.0: the answer is larger than 4194304 bytes/);
    await expect(client.listTags('samples/module')).rejects.toThrow(/tags of samples\/module \(page 1\): the answer is larger than 4194304 bytes/);
  });

  it('a blob declared larger than 1 GiB is refused before reading', async () => {
    const client = new RegistryClient({ registry: endless.host });
    const sentBefore = endless.bytesSent;
    const err = await client.fetchBlob('samples/module', { digest: `sha256:${'cd'.repeat(32)}`, size: 4 * 1024 * MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toMatch(/declared 4294967296 bytes\): the answer is larger than 1073741824 bytes \(1024 MiB\)/);
    expect(endless.bytesSent - sentBefore).toBeLessThan(16 * MiB);
  });
});

describe('a catalog whose pages never end', () => {
  it('stops listing after 100,000 names', async () => {
    const paged = await startEndlessRegistry({ catalog: 'endless-pages' });
    try {
      const err = await new RegistryClient({ registry: paged.host }).listRepositories().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as Error).message).toBe(`registry ${paged.host}: catalog: more than 100000 names; stopped listing`);
    } finally {
      await paged.stop();
    }
  });
});
