/**
 * The real oras CLI (built from oras.land/oras by `.ci/setup` into
 * ~/.cache/wgs/bin, or WGS_ORAS), for interoperability tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export function orasBinary(): string {
  const path = process.env.WGS_ORAS ?? join(homedir(), '.cache', 'wgs', 'bin', 'oras');
  if (!existsSync(path)) throw new Error(`oras not found at ${path}: run .ci/setup (it builds oras.land/oras/cmd/oras) or set WGS_ORAS`);
  return path;
}

/** Runs oras with `args`; rejects with its stderr when it fails. */
export async function oras(args: string[], options: { cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(orasBinary(), args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: process.env.HOME ?? homedir() } });
  } catch (e) {
    const x = e as { stderr?: string; message: string };
    throw new Error(`oras ${args.join(' ')}: ${x.stderr?.trim() || x.message}`);
  }
}
