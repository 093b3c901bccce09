/**
 * The data-flow designer against the real server and a real Kubernetes API
 * server: build the simple-graph data flow from the registry browser,
 * configure its operator, preview the transform live, save, deploy (diff,
 * apply, status), read it back with kubectl, and see a conflict when the
 * cluster changes under a plan. Screenshots go to e2e/screenshots/f*.png.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';

const url = () => process.env.WGS_E2E_URL!;
const token = () => process.env.WGS_E2E_TOKEN!;
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png` });
const NS = 'azure-iot-operations';
const SIMPLE = 'azure-samples/explore-iot-operations/graph-simple';

const kubectl = async (...args: string[]) =>
  (await promisify(execFile)(process.env.WGS_E2E_KUBECTL!, ['--kubeconfig', process.env.WGS_E2E_KUBECONFIG!, ...args])).stdout;

/** `kubectl apply -f -` with the manifest on stdin. */
const kubectlApply = (manifest: string) =>
  new Promise<void>((resolve, reject) => {
    const child = execFile(process.env.WGS_E2E_KUBECTL!, ['--kubeconfig', process.env.WGS_E2E_KUBECONFIG!, 'apply', '-f', '-'], (e) => (e ? reject(e) : resolve()));
    child.stdin!.end(manifest);
  });

async function clusterGraph(name: string) {
  return JSON.parse(await kubectl('get', 'dataflowgraphs', '-n', NS, name, '-o', 'json')) as {
    metadata: { resourceVersion: string };
    spec: {
      nodeConnections: unknown[];
      nodes: { name: string; graphSettings?: { artifact: string; configuration?: { key: string; value: string }[] }; destinationSettings?: { dataDestination: string } }[];
    };
  };
}

const node = (page: Page, name: string) => page.getByTestId('dataflow-canvas').locator(`[data-testid=dataflow-node][data-name="${name}"]`);

test('build, configure, preview, save and deploy the simple-graph data flow; read it back with kubectl', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url()}/?token=${token()}`);
  await expect(page.getByTestId('graph-list')).toBeVisible();
  await expect(page.getByTestId('store-where')).toContainText('deploys to');
  await shot(page, 'f1-graph-list');

  // Create: the operations experience's name + profile, then source → destination on the default endpoint.
  await page.getByTestId('new-graph').click();
  await page.getByTestId('new-graph-name').fill('Temp Converter');
  await expect(page.getByTestId('create-graph')).toBeDisabled();
  await page.getByTestId('new-graph-name').fill('temp-converter');
  await page.getByTestId('create-graph').click();
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__node')).toHaveCount(2);

  // A graph transform goes between them; its artifact comes from the registry browser.
  await page.getByTestId('add-transform').click();
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__edge')).toHaveCount(2);
  await expect(page.getByTestId('transform-panel')).toBeVisible();
  await page.getByTestId('pick-artifact').click();
  const browser = page.getByTestId('registry-browser');
  await browser.getByRole('button', { name: SIMPLE, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await expect(browser.getByTestId('graph-preview')).toContainText('3 operations');
  await expect(browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"] [data-testid=artifact-size]')).toHaveText(/^\d+(\.\d)? (B|kB)$/);
  await shot(page, 'f2-pick-graph-artifact');
  await browser.getByTestId('open-graph').click();
  await expect(browser).toHaveCount(0);
  await expect(page.getByTestId('transform-artifact')).toHaveText(`${SIMPLE}:1.0.0`);
  await expect(node(page, 'transform')).toContainText(`${SIMPLE}:1.0.0`);

  // The configuration form comes from the definition's moduleConfigurations: key1, labelled by its name key2.
  const section = page.locator('[data-testid=config-section][data-operation="module-temperature/map"]');
  await expect(section).toContainText('key2');
  await section.getByTestId('config-key1').fill('example-value');
  await expect(node(page, 'transform')).toContainText('1 configured');
  await expect(node(page, 'transform')).toHaveAttribute('data-dirty', 'true');

  await node(page, 'destination').click();
  await page.getByTestId('destination-topic').fill('sensor/temperature/converted');
  await expect(node(page, 'destination')).toContainText('sensor/temperature/converted');
  // The message schema on the source → transform connection (the reference's web UI cannot set it).
  // Click the edge half-way between the two nodes it joins.
  const [from, to] = [await node(page, 'source').boundingBox(), await node(page, 'transform').boundingBox()];
  await page.mouse.click((from!.x + from!.width + to!.x) / 2, from!.y + from!.height / 2);
  await page.getByTestId('connection-schema').fill('aio-sr://azure-iot-operations/temperature:1');
  await expect(page.getByTestId('dataflow-canvas').locator('[data-testid="rf__edge-n0"]')).toContainText('schema temperature:1');
  await expect(page.getByTestId('dataflow-problems')).toHaveText('valid');
  await shot(page, 'f3-configured');

  // Save to the draft store: the dirty markers go.
  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');
  await expect(page.getByTestId('unsaved-marker')).toHaveCount(0);
  await expect(page.getByTestId('dataflow-canvas').getByTestId('dirty-marker')).toHaveCount(0);

  // Open the transform's operator graph: a preview with this node's configuration on the source's topics.
  await node(page, 'transform').click();
  await page.getByTestId('open-definition').click();
  await expect(page.getByTestId('graph-title')).toHaveText(`${SIMPLE}:1.0.0`);
  const canvas = page.getByTestId('canvas');
  await expect(canvas.locator('.react-flow__node')).toHaveCount(3);
  await page.getByTestId('preview-start').click();
  const map = canvas.locator('[data-testid=operation-node][data-name="module-temperature/map"]');
  const counts = map.getByTestId('live-counts');
  await expect.poll(async () => Number((await counts.getAttribute('data-out', { timeout: 1000 }).catch(() => null)) ?? 0), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await map.click();
  const out = page.getByTestId('preview-panel').locator('[data-testid=preview-sample][data-event=out]').first();
  await expect(out).toBeVisible();
  expect((await out.getByTestId('sample-payload').textContent())!.replace(/\s/g, '')).toContain('"unit":"C"');
  await shot(page, 'f4-transform-preview');
  await page.getByTestId('preview-stop').click();

  // The connection's message schema is in the cluster (a labelled ConfigMap, applied with kubectl), so the
  // engine gets past it to the registry below.
  await kubectlApply(JSON.stringify({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'schema-temperature-1', namespace: NS, labels: { 'wgs.dev/schema-namespace': NS, 'wgs.dev/schema-name': 'temperature', 'wgs.dev/schema-version': '1' } },
    data: { format: 'json', schema: '{"type":"object","properties":{"temperature":{"type":"number"}}}' },
  }));

  // Deploy: the diff against the cluster (nothing there yet), apply, status.
  await page.getByTestId('nav-dataflow').click();
  await page.getByTestId('deploy-graph').click();
  const dialog = page.getByTestId('deploy-dialog');
  await expect(dialog.getByTestId('deploy-changes')).toContainText('+ (the whole graph)');
  await shot(page, 'f5-deploy-plan');
  await dialog.getByTestId('confirm-deploy').click();
  await expect(dialog.getByTestId('deploy-status')).toContainText('Applied.');
  // The engine reports it cannot run it: the cluster has no RegistryEndpoint "embedded" (the designer's own registry).
  await expect(dialog.getByTestId('deploy-health')).toHaveText('Unavailable', { timeout: 30_000 });
  await expect(dialog.getByTestId('deploy-reason')).toContainText('RegistryEndpointNotFound');
  await shot(page, 'f6-deployed');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // kubectl, the second opinion: what the designer deployed is in the cluster.
  const deployed = await clusterGraph('temp-converter');
  const transform = deployed.spec.nodes.find((n) => n.name === 'transform')!;
  expect(transform.graphSettings).toEqual({ registryEndpointRef: 'embedded', artifact: `${SIMPLE}:1.0.0`, configuration: [{ key: 'key1', value: 'example-value' }] });
  expect(deployed.spec.nodes.find((n) => n.name === 'destination')!.destinationSettings!.dataDestination).toBe('sensor/temperature/converted');
  expect(deployed.spec.nodeConnections[0]).toEqual({ from: { name: 'source', schema: { schemaRef: 'aio-sr://azure-iot-operations/temperature:1' } }, to: { name: 'transform' } });

  // An edit shows as one changed field; someone changes the cluster after the plan: a conflict with both versions.
  await node(page, 'destination').click();
  await page.getByTestId('destination-topic').fill('sensor/temperature/celsius');
  await page.getByTestId('deploy-graph').click();
  await expect(dialog.getByTestId('deploy-changes')).toContainText('~ spec.nodes[name=destination].destinationSettings.dataDestination: sensor/temperature/converted → sensor/temperature/celsius');
  await kubectl('annotate', 'dataflowgraphs', '-n', NS, 'temp-converter', 'owner=ops', '--overwrite');
  await dialog.getByTestId('confirm-deploy').click();
  await expect(dialog.getByTestId('their-changes')).toContainText('metadata.annotations');
  await expect(dialog.getByTestId('deploy-conflict')).toContainText('owner: ops');
  await expect(dialog.getByTestId('my-changes')).toContainText('dataDestination: sensor/temperature/converted → sensor/temperature/celsius');
  await shot(page, 'f7-deploy-conflict');
  expect((await clusterGraph('temp-converter')).spec.nodes.find((n) => n.name === 'destination')!.destinationSettings!.dataDestination).toBe('sensor/temperature/converted');
  await dialog.getByTestId('replan').click();
  await dialog.getByTestId('confirm-deploy').click();
  await expect(dialog.getByTestId('deploy-status')).toContainText('Applied.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  expect((await clusterGraph('temp-converter')).spec.nodes.find((n) => n.name === 'destination')!.destinationSettings!.dataDestination).toBe('sensor/temperature/celsius');

  // Undo works across form edits: the topic goes back to the saved one.
  await page.getByTestId('dataflow-canvas').click({ position: { x: 5, y: 5 } });
  await page.getByTestId('undo').click();
  await expect(node(page, 'destination')).toContainText('sensor/temperature/converted');
  await page.getByTestId('redo').click();
  await expect(node(page, 'destination')).toContainText('sensor/temperature/celsius');

  // Copy and paste a node with the keyboard; undo takes the copy away again.
  await node(page, 'transform').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(node(page, 'transform-copy')).toContainText(`${SIMPLE}:1.0.0`);
  await page.keyboard.press('Control+z');
  await expect(node(page, 'transform-copy')).toHaveCount(0);

  // The list: the saved draft (older topic) differs from the cluster; a graph applied with kubectl shows up too.
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('nav-graphs').click();
  const manifest = JSON.stringify({ ...(await clusterGraph('temp-converter')), metadata: { name: 'by-kubectl', namespace: NS } });
  await kubectlApply(manifest);
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = (name: string) => page.locator(`[data-testid=graph-row][data-name="${name}"]`);
  await expect(row('temp-converter').getByTestId('graph-status')).toContainText('draft differs');
  await expect(row('by-kubectl').getByTestId('graph-status')).toContainText('in the cluster only');
  await shot(page, 'f8-graph-list-status');
  expect(pageErrors).toEqual([]);
});

test('a broken manifest shows the error on the node and in the YAML, and nothing is lost', async ({ page }) => {
  await page.goto(`${url()}/?token=${token()}`);
  await page.getByTestId('new-graph').click();
  await page.getByTestId('new-graph-name').fill('broken-one');
  await page.getByTestId('create-graph').click();
  // An endpoint that does not exist: the source node carries the error, the YAML line a marker.
  await page.waitForFunction(() => 'wgsDataflowEditor' in window, undefined, { timeout: 15_000 });
  await page.evaluate(() => {
    const ed = (window as unknown as { wgsDataflowEditor: { getValue(): string; setValue(v: string): void } }).wgsDataflowEditor;
    ed.setValue(ed.getValue().replace('endpointRef: default\n        dataSources', 'endpointRef: nowhere\n        dataSources'));
  });
  await expect(node(page, 'source').getByTestId('error-badge')).toHaveText('1');
  await expect(page.getByTestId('dataflow-diagnostics')).toContainText('nowhere');
  await expect(page.locator('[data-testid=dataflow-yaml] .squiggly-error')).not.toHaveCount(0);
  await shot(page, 'f9-broken-manifest');
  // Saving is refused by the server with the located reason; the draft stays in the editor.
  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'invalid');
  await expect(page.getByTestId('save-outcome')).toContainText('nowhere');
  await expect(node(page, 'source')).toContainText('nowhere');
});

test('the graph list imports, duplicates, exports and deletes graphs', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${url()}/?token=${token()}`);
  const row = (name: string) => page.locator(`[data-testid=graph-row][data-name="${name}"]`);
  // Import: a DataflowGraph and an endpoint in one paste; the endpoint is skipped with the reason.
  await page.getByTestId('import-graphs').click();
  await page.getByTestId('import-text').fill([
    '# from another cluster',
    'apiVersion: connectivity.iotoperations.azure.com/v1',
    'kind: DataflowGraph',
    'metadata: { name: imported-graph }',
    'spec:',
    '  nodes:',
    '    - { nodeType: Source, name: s, sourceSettings: { endpointRef: default, dataSources: [sensor/humidity/raw] } }',
    `    - { nodeType: Graph, name: t, graphSettings: { registryEndpointRef: embedded, artifact: "${SIMPLE}:1.0.0" } }`,
    '    - { nodeType: Destination, name: d, destinationSettings: { endpointRef: default, dataDestination: out/humidity } }',
    '  nodeConnections:',
    '    - { from: { name: s }, to: { name: t } }',
    '    - { from: { name: t }, to: { name: d } }',
    '---',
    'kind: DataflowEndpoint',
    'metadata: { name: other }',
  ].join('\n'));
  await page.getByTestId('import-now').click();
  await expect(page.getByTestId('list-notice')).toHaveText('imported imported-graph');
  await expect(page.getByTestId('list-error')).toContainText('document 2: kind "DataflowEndpoint" is not a DataflowGraph');
  await expect(row('imported-graph').getByTestId('graph-status')).toHaveText('not deployed');

  // Export: the manifest without server fields, ready for kubectl.
  const download = page.waitForEvent('download');
  await row('imported-graph').getByRole('button', { name: 'Export' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const exported = readFileSync(file, 'utf8');
  expect(exported).toContain('name: imported-graph');
  expect(exported).not.toContain('resourceVersion');

  // Duplicate: an unsaved copy opens in the editor; saving it adds it to the list.
  await row('imported-graph').getByTestId('duplicate-graph').click();
  await expect(page.getByTestId('dataflow-name')).toHaveText('imported-graph-copy');
  await expect(node(page, 't')).toContainText(`${SIMPLE}:1.0.0`);
  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');
  await page.getByTestId('back-to-list').click();
  await expect(row('imported-graph-copy')).toBeVisible();

  // Delete (confirmed): gone from the list and from the API.
  await row('imported-graph-copy').getByTestId('delete-graph').click();
  await expect(page.getByTestId('list-notice')).toHaveText('deleted imported-graph-copy');
  await expect(row('imported-graph-copy')).toHaveCount(0);
  const gone = await page.request.get(`${url()}/api/dataflowgraphs/imported-graph-copy`, { headers: { authorization: `Bearer ${token()}` } });
  expect(gone.status()).toBe(404);
  await shot(page, 'f10-graph-list-after-import');
});
