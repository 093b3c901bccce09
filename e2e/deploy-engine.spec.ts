/**
 * Deploy makes the graph runnable: build the simple-graph data flow with its
 * artifact in the embedded registry, deploy it from the designer with the
 * copy step to the docker-registry (`lab-registry`), and watch the engine run
 * it: "Available" and its counters in the dialog, the editor's header and the
 * graph list; kubectl reads the same health; mosquitto_pub/sub, the second
 * opinion, see 212 °F come out as 100 °C and the counters move. Screenshots
 * go to e2e/screenshots/g*.png.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { dataflowYaml } from './defects-helpers.ts';

const url = () => process.env.WGS_E2E_URL!;
const token = () => process.env.WGS_E2E_TOKEN!;
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png` });
const NS = 'azure-iot-operations';
const SAMPLES = 'azure-samples/explore-iot-operations';
const SIMPLE = `${SAMPLES}/graph-simple`;
const NAME = 'engine-converter';
const RAW = 'e2e/engine/raw';
const CONVERTED = 'e2e/engine/converted';

const kubectl = async (...args: string[]) =>
  (await promisify(execFile)(process.env.WGS_E2E_KUBECTL!, ['--kubeconfig', process.env.WGS_E2E_KUBECONFIG!, ...args])).stdout;
const run = promisify(execFile);

/** mosquitto_sub for the first converted message while mosquitto_pub sends 212 °F once a second (QoS 1). */
async function convertedByTheEngine(): Promise<string> {
  const port = process.env.WGS_E2E_BROKER_PORT!;
  const sub = spawn('mosquitto_sub', ['-p', port, '-V', 'mqttv5', '-q', '1', '-t', CONVERTED, '-C', '1', '-W', '30']);
  let out = '';
  sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => sub.on('exit', r));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    await run('mosquitto_pub', ['-p', port, '-V', 'mqttv5', '-q', '1', '-t', RAW, '-m', JSON.stringify({ temperature: { value: 212, unit: 'F' } })]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
  }
  return out;
}

const node = (page: Page, name: string) => page.getByTestId('dataflow-canvas').locator(`[data-testid=dataflow-node][data-name="${name}"]`);

test('deploy from the embedded registry with the copy step; the engine runs it and reports Available with its counters', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url()}/?token=${token()}`);
  await expect(page.getByTestId('graph-list')).toBeVisible();

  // A new data flow: e2e/engine/raw → the simple graph (embedded registry) → e2e/engine/converted.
  await page.getByTestId('new-graph').click();
  await page.getByTestId('new-graph-name').pressSequentially(NAME);
  await page.getByTestId('new-graph-name').press('Enter');
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
  await node(page, 'source').click();
  const topic = page.getByTestId('source-panel').getByTestId('topic-row').first();
  await topic.fill('');
  await topic.pressSequentially(RAW);
  await page.getByTestId('add-transform').click();
  await page.getByTestId('pick-artifact').click();
  const browser = page.getByTestId('registry-browser');
  await browser.getByRole('button', { name: SIMPLE, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('open-graph').click();
  await expect(page.getByTestId('transform-artifact')).toHaveText(`${SIMPLE}:1.0.0`);
  const section = page.locator('[data-testid=config-section][data-operation="module-temperature/map"]');
  await section.getByTestId('config-key1').pressSequentially('engine-run');
  await node(page, 'destination').click();
  await page.getByTestId('destination-topic').fill('');
  await page.getByTestId('destination-topic').pressSequentially(CONVERTED);
  await expect(page.getByTestId('dataflow-problems')).toHaveText('valid');
  await page.getByTestId('dataflow-canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');

  // Deploy: the plan says the cluster cannot pull from the embedded registry and offers the copy.
  await page.getByTestId('deploy-graph').click();
  const dialog = page.getByTestId('deploy-dialog');
  const problem = dialog.getByTestId('unpullable');
  await expect(problem).toContainText('The cluster cannot pull this graph');
  await expect(problem.locator('li[data-node=transform]')).toContainText('embedded.wgs.local');
  const target = dialog.getByTestId('copy-target');
  await expect(target.locator('option')).toHaveText(['lab-registry']);
  await expect(dialog.getByTestId('confirm-deploy')).toHaveText(/^Apply as is to /);
  await shot(page, 'g1-copy-choice');
  await dialog.getByRole('button', { name: 'Copy to lab-registry and deploy' }).click();

  // Applied, then the engine's own report: waiting while it catches up, then Available with counts.
  await expect(dialog.getByTestId('deploy-status')).toContainText('Applied.', { timeout: 30_000 });
  await expect(dialog.getByTestId('deploy-health')).toHaveText('Available', { timeout: 60_000 });
  await expect(dialog.getByTestId('deploy-reason')).toContainText('Running');
  await expect(dialog.getByTestId('deploy-generation')).toContainText('observed by the engine · engine e2e-engine');
  await expect(dialog.getByTestId('deploy-counters')).toContainText('in 0 · out 0 · errors 0');

  // The editor's manifest now names the registry the artifacts were copied to.
  const yaml = await dataflowYaml(page);
  expect(yaml).toContain('registryEndpointRef: lab-registry');

  // The copies are in the docker-registry: the graph and its module, same tags.
  for (const repo of ['graph-simple', 'temperature']) {
    const tags = (await (await fetch(`http://${process.env.WGS_E2E_REGISTRY}/v2/${SAMPLES}/${repo}/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toContain('1.0.0');
  }

  // kubectl, the second opinion.
  expect(await kubectl('get', 'dataflowgraph', '-n', NS, NAME, '-o', 'jsonpath={.status.healthState.status}')).toBe('Available');
  expect(await kubectl('get', 'dataflowgraph', '-n', NS, NAME, '-o', 'jsonpath={.spec.nodes[?(@.name=="transform")].graphSettings.registryEndpointRef}')).toBe('lab-registry');

  // Messages through the engine: mosquitto_pub in, mosquitto_sub out, and the dialog counts them.
  const converted = JSON.parse(await convertedByTheEngine()) as { temperature: { value: number; unit: string } };
  expect(converted.temperature).toMatchObject({ value: 100, unit: 'C' });
  await expect(dialog.getByTestId('deploy-counters')).not.toContainText('in 0 ·', { timeout: 15_000 });
  await shot(page, 'g2-available');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The editor's header carries the health too.
  await expect(page.getByTestId('editor-health')).toHaveText('Available', { timeout: 15_000 });

  // The graph list: health and counts, still moving.
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');
  await page.getByTestId('back-to-list').click();
  const row = page.locator(`[data-testid=graph-row][data-name="${NAME}"]`);
  await expect(row.getByTestId('graph-health')).toHaveText('Available');
  await expect(row.getByTestId('graph-counters')).toContainText(/in [1-9]\d* · out [1-9]/);
  await shot(page, 'g3-graph-list-live');
  expect(pageErrors).toEqual([]);
});

test('the deploy plan warns when a stateful graph sits in a profile of several instances', async ({ page }) => {
  const name = 'windowed-scaled';
  const graph = {
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name },
    spec: {
      profileRef: 'scaled',
      nodes: [
        { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
        { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'embedded', artifact: `${SAMPLES}/graph-complex:1.0.0` } },
        { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'e2e/windowed' } },
      ],
      nodeConnections: [{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }],
    },
  };
  const created = await fetch(`${url()}/api/dataflowgraphs`, { method: 'POST', headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' }, body: JSON.stringify(graph) });
  expect(created.status).toBe(201);
  // An administrator scales the profile out with kubectl.
  const profile = JSON.stringify({ apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowProfile', metadata: { name: 'scaled', namespace: NS }, spec: { instanceCount: 3 } });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.env.WGS_E2E_KUBECTL!, ['--kubeconfig', process.env.WGS_E2E_KUBECONFIG!, 'apply', '-f', '-']);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply exited with ${code}`))));
    child.stdin.end(profile);
  });

  await page.goto(`${url()}/?token=${token()}`);
  await page.locator(`[data-testid=graph-row][data-name="${name}"]`).getByTestId('open-graph-row').click();
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
  await page.getByTestId('deploy-graph').click();
  const warnings = page.getByTestId('deploy-dialog').getByTestId('plan-warnings');
  await expect(warnings).toContainText('profile "scaled" runs 3 instances');
  await expect(warnings).toContainText('accumulate');
  await shot(page, 'g4-stateful-scale-warning');
  await page.getByTestId('deploy-dialog').getByRole('button', { name: 'Cancel' }).click();
  await kubectl('delete', 'dataflowprofile', '-n', NS, 'scaled');
});
