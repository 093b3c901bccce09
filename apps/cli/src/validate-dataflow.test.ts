/**
 * `wgs validate` of DataflowGraph manifests: flattened with the built-ins'
 * definitions from the embedded registry (shape errors located in the
 * manifest), or the flattening reported as skipped when a Graph node's
 * registry endpoint is not given.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'apps/cli/src/main.ts');
const exec = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'wgs-validate-dataflow-'));
const chain = join(root, 'packages/operators/tests/dataflow-chain/dataflow.yaml');
const branch = readFileSync(join(root, 'packages/operators/tests/dataflow-branch/dataflow.yaml'), 'utf8');

async function validate(files: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', ['--import', 'tsx', main, 'validate', ...files], { cwd: root, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return e as { code: number; stdout: string; stderr: string };
  }
}

describe('wgs validate a DataflowGraph', () => {
  it('flattens a valid data flow with the embedded built-ins', async () => {
    const r = await validate([chain]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('DataflowGraph temperature-chain: flattened with the Graph nodes\' definitions');
  }, 60_000);

  it('reports an output the node graph has no sink for, at its line and column in the manifest', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, branch.replace('split.output.false }', 'split.output.maybe }'));
    const line = branch.split('\n').findIndex((l) => l.includes('split.output.false')) + 1;
    const r = await validate([bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:${line}:21: error: Graph node "split" has no output "output.maybe"`);
    expect(r.stderr).toContain('(at spec.nodeConnections[3].from.name) [dataflow-shape]');
  }, 60_000);

  it('keeps the manifest checks and says the flattening was skipped when a registry endpoint is not given', async () => {
    const other = join(tmp, 'other-registry.yaml');
    writeFileSync(other, readFileSync(chain, 'utf8').replace(/registryEndpointRef: default/g, 'registryEndpointRef: elsewhere'));
    const r = await validate([other]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('flattening skipped (the Graph nodes\' definitions could not be read: Graph node "convert": registry endpoint "elsewhere"');
    expect(r.stdout).toContain('manifest (1 document): valid');
  }, 60_000);
});
