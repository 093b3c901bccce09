/**
 * `pnpm start` as a process (apps/server/src/main.ts with info logging):
 * a configured token never appears in its output, a generated one appears
 * once, and requests carrying the token in the query are logged redacted,
 * however the key is encoded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(root, 'node_modules/.bin/tsx');

/** Starts main.ts, makes `requests(base)` and stops it; resolves with everything it printed. */
async function runServer(env: Record<string, string>, requests: (base: string) => Promise<void> = async () => {}): Promise<string> {
  const { WGS_TOKEN: _ignored, ...inherited } = process.env;
  const child = spawn(TSX, ['apps/server/src/main.ts'], {
    cwd: root,
    env: { ...inherited, WGS_PORT: '0', WGS_BROKER_URL: 'mqtt://127.0.0.1:1', WGS_SIMULATOR: 'off', WGS_LOG_LEVEL: 'info', WGS_STORE_DIR: mkdtempSync(join(tmpdir(), 'wgs-start-store-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const end = Date.now() + 60_000;
    while (!/embedded broker/.test(out)) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`the server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const port = /designer: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1];
    if (!port) throw new Error(`no address printed:\n${out}`);
    await requests(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

describe('pnpm start output', () => {
  it('never prints a token from WGS_TOKEN, and logs query tokens redacted whatever their encoding', async () => {
    const token = 'configured-secret-4f1c';
    const out = await runServer({ WGS_TOKEN: token, WGS_STATE_DIR: mkdtempSync(join(tmpdir(), 'wgs-start-state-')) }, async (base) => {
      for (const query of [`token=${token}`, `%74oken=${token}`, `TOKEN=${token}`, `t%6Fken=${token}&x=1`]) {
        await fetch(`${base}/?${query}`);
        await fetch(`${base}/api/preview?${query}`);
      }
    });
    expect(out).toMatch(/the token is in the WGS_TOKEN environment variable/);
    // The requests were logged, only without the token.
    expect(out).toMatch(/"url":"\/api\/preview\?token=\[Redacted\]"/);
    expect(out).toMatch(/"url":"\/\?token=\[Redacted\]&x=1"/);
    expect(out).not.toContain(token);
  }, 120_000);

  it('prints a generated token once, then only where it is kept', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'wgs-start-state-'));
    const first = await runServer({ WGS_STATE_DIR: stateDir });
    const token = readFileSync(join(stateDir, 'token'), 'utf8').trim();
    expect(first).toContain(`?token=${token}`);
    const second = await runServer({ WGS_STATE_DIR: stateDir });
    expect(second).not.toContain(token);
    expect(second).toContain(`the token is in ${join(stateDir, 'token')}`);
  }, 120_000);
});
