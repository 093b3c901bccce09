/**
 * The generated CRDs in deploy/crds make a real kube-apiserver refuse
 * malformed resources itself: the reference's sample manifests pass
 * `kubectl apply --dry-run=server`, malformed variants are refused with the
 * schema's or the CEL rule's message on kubectl's stderr.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_SAMPLES, VALID_SAMPLES } from '../../graph-model/src/crd/samples.ts';
import { startKube, type KubeCluster } from './kube.ts';

const crdDir = fileURLToPath(new URL('../../../deploy/crds/', import.meta.url));
const group = 'connectivity.iotoperations.azure.com';
const namespace = 'azure-iot-operations';
const kinds = ['dataflowgraphs', 'dataflowendpoints', 'registryendpoints', 'dataflowprofiles'];

let started: KubeCluster | undefined;
let startError: unknown;
const cluster = (): KubeCluster => {
  if (!started) throw startError;
  return started;
};

/** kubectl apply; discovery may lag a moment behind Established, so "no matches for kind" is retried. */
async function apply(manifest: string, ...flags: string[]): Promise<{ ok: boolean; output: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { stdout } = await cluster().kubectl(['apply', ...flags, '-f', '-'], manifest);
      return { ok: true, output: stdout };
    } catch (e) {
      const message = String(e);
      if (attempt < 20 && /no matches for kind/i.test(message)) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      return { ok: false, output: message };
    }
  }
}

beforeAll(async () => {
  try {
    started = await startKube();
    await started.kubectl(['create', 'namespace', namespace]);
    await started.kubectl(['apply', '-f', crdDir]);
    await started.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...kinds.map((k) => `crd/${k}.${group}`)]);
  } catch (e) {
    startError = e;
  }
}, 180_000);

afterAll(async () => {
  await started?.stop();
});

describe('the generated CRDs on a real kube-apiserver', () => {
  it('are structural, with CEL within the cost budget (the API server accepted them with no warning)', async () => {
    const crd = JSON.parse((await cluster().kubectl(['get', `crd/dataflowgraphs.${group}`, '-o', 'json'])).stdout) as {
      spec: { versions: { name: string; schema: { openAPIV3Schema: { properties: { spec: { 'x-kubernetes-validations'?: unknown[] } } } } }[] };
      status: { conditions: { type: string; status: string }[] };
    };
    expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    expect(crd.status.conditions.find((c) => c.type === 'NonStructuralSchema')).toBeUndefined();
    for (const version of crd.spec.versions) {
      expect(version.schema.openAPIV3Schema.properties.spec['x-kubernetes-validations']?.length, version.name).toBeGreaterThan(0);
    }
  });

  for (const [name, manifest] of Object.entries(VALID_SAMPLES)) {
    it(`accepts the reference's ${name}`, async () => {
      const result = await apply(manifest, '--dry-run=server');
      expect(result.output).toMatch(/created \(server dry run\)/);
      expect(result.ok).toBe(true);
    });
  }

  for (const sample of INVALID_SAMPLES) {
    it(`refuses ${sample.name}`, async () => {
      const result = await apply(sample.manifest, '--dry-run=server');
      expect(result.ok).toBe(false);
      expect(result.output).toContain(sample.expected);
    });
  }

  it('keeps the fields the schema does not list (a real write, read back)', async () => {
    const result = await apply(VALID_SAMPLES['DataflowEndpoints (§4.4)'] as string);
    expect(result.ok, result.output).toBe(true);
    const { stdout } = await cluster().kubectl(['get', `dataflowendpoints.${group}/default`, '-n', namespace, '-o', 'jsonpath={.spec.mqttSettings.tls.trustedCaCertificateConfigMapRef}']);
    expect(stdout).toBe('azure-iot-operations-aio-ca-trust-bundle');
  });
});
