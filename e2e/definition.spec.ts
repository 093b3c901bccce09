/**
 * Editing a graph definition against the real server: open the simple graph
 * from the embedded registry, add a filter from the palette, pick its module
 * (only modules exporting filter are offered), wire it in, undo/redo,
 * copy/paste, and save it as a new version to a real registry (Debian's
 * docker-registry, started here), where the registry browser shows the new tag.
 * Screenshots go to e2e/screenshots/d1-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startDockerRegistry, type TestRegistry } from '../packages/registry/src/testing/docker-registry.ts';
import { definitionYaml } from './defects-helpers.ts';

const url = () => process.env.WGS_E2E_URL!;
const token = () => process.env.WGS_E2E_TOKEN!;
const headers = () => ({ authorization: `Bearer ${token()}` });
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/d1-${name}.png` });
const SIMPLE_REPO = 'azure-samples/explore-iot-operations/graph-simple';
const ENDPOINT = 'e2e-definition-save';

let registry: TestRegistry;

test.beforeAll(async ({ request }) => {
  registry = await startDockerRegistry();
  const created = await request.post(`${url()}/api/registryendpoints`, {
    headers: headers(),
    data: { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'RegistryEndpoint', metadata: { name: ENDPOINT }, spec: { host: registry.host, authentication: { method: 'Anonymous', anonymousSettings: {} } } },
  });
  expect(created.status(), await created.text()).toBe(201);
});

test.afterAll(async ({ request }) => {
  await request.delete(`${url()}/api/registryendpoints/${ENDPOINT}`, { headers: headers() });
  await registry?.stop();
});

const yamlOf = definitionYaml;
const node = (page: Page, name: string) => page.getByTestId('canvas').locator(`[data-testid=operation-node][data-name="${name}"]`);

/** Drags from one handle to another, as a person connects two operations. */
async function connect(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

test('add, pick a module, connect, undo/redo, copy/paste and save a graph definition as a new version', async ({ page, request }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url()}/?token=${token()}`);
  await page.getByTestId('nav-definition').click();
  await expect(page.getByTestId('canvas-empty')).toHaveText('Open a graph from the registry or add an operation from the palette');
  await shot(page, '01-empty-state');

  // Open the simple graph from the embedded registry.
  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  await expect(browser.getByTestId('endpoint-select')).toHaveValue('embedded');
  await browser.getByRole('button', { name: SIMPLE_REPO, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('open-graph').click();
  await expect(browser).toHaveCount(0);
  const canvas = page.getByTestId('canvas');
  await expect(canvas.locator('.react-flow__node')).toHaveCount(3);
  await expect(page.getByTestId('canvas-empty')).toHaveCount(0);
  await expect(page.getByTestId('unsaved')).toHaveCount(0);
  await expect(page.getByTestId('undo')).toBeDisabled();

  // Three nodes fill the view at the largest zoom: zoom out to make room, then drag a filter to the right of the map.
  for (let i = 0; i < 3; i++) await canvas.locator('.react-flow__controls-zoomout').click();
  const map = node(page, 'module-temperature/map');
  await expect.poll(async () => (await map.boundingBox())!.width).toBeLessThan(300);
  const mapBox = (await map.boundingBox())!;
  const pane = (await canvas.locator('.react-flow__pane').boundingBox())!;
  const drop = { x: mapBox.x + mapBox.width * 1.5 + 60, y: mapBox.y + mapBox.height / 2 };
  expect(drop.x + mapBox.width / 2).toBeLessThan(pane.x + pane.width);
  await page.getByTestId('palette').locator('[data-kind=filter]').dragTo(canvas.locator('.react-flow__pane'), {
    targetPosition: { x: drop.x - pane.x, y: drop.y - pane.y },
  });
  const added = node(page, 'module-new/filter');
  await expect(added).toBeVisible();
  await expect(added.getByTestId('dirty-marker')).toBeVisible();
  await expect(map.getByTestId('dirty-marker')).toHaveCount(0);
  // Centred where it was dropped.
  const addedBox = (await added.boundingBox())!;
  expect(Math.abs(addedBox.x + addedBox.width / 2 - drop.x)).toBeLessThan(3);
  expect(Math.abs(addedBox.y + addedBox.height / 2 - drop.y)).toBeLessThan(3);
  expect(await yamlOf(page)).toContain('- { operationType: filter, name: module-new/filter }');
  await expect(page.getByTestId('unsaved')).toBeVisible();

  // The inspector offers only modules that export filter; picking one names the operation after it.
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('module-new/filter');
  const picker = inspector.getByTestId('module-picker');
  await expect(picker.locator('option[value="azure-samples/explore-iot-operations/temperature:1.0.0"]')).toHaveCount(1, { timeout: 60_000 });
  const offered = await picker.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(offered.every((m) => !/\/(window|humidity|collection|format|enrichment):/.test(m))).toBe(true);
  await shot(page, '02-module-picker');
  await picker.selectOption('azure-samples/explore-iot-operations/temperature:1.0.0');
  const filter = node(page, 'module-temperature/filter');
  await expect(filter).toBeVisible();
  await expect(filter).toContainText('temperature:1.0.0');
  await expect(inspector.getByTestId('module-kind-error')).toHaveCount(0);

  // A parameter for the filter, as the data-flow editor's configuration form will show it.
  await inspector.getByTestId('add-parameter').click();
  // The key applies as it is typed: the row is found by position, its data-key follows.
  const param = inspector.getByTestId('parameter-row').last();
  await expect(param).toHaveAttribute('data-key', 'param1');
  await param.getByTestId('param-key').fill('threshold');
  await expect(param).toHaveAttribute('data-key', 'threshold');
  const threshold = inspector.locator('[data-testid=parameter-row][data-key=threshold]');
  await threshold.getByTestId('param-default').fill('-40');
  await threshold.getByTestId('param-default').press('Enter');
  await threshold.getByTestId('param-required').check();
  await expect.poll(() => yamlOf(page)).toMatch(/- name: module-temperature\/filter\n {4}parameters:\n {6}threshold:\n {8}name: threshold\n {8}default: "-40"\n {8}required: true/);

  // A module that does not export filter, typed by hand, is flagged.
  await inspector.getByTestId('module-input').fill('azure-samples/explore-iot-operations/window:1.0.0');
  await inspector.getByTestId('module-input').press('Enter');
  await expect(inspector.getByTestId('module-kind-error')).toContainText('does not export a filter operator (it exports delay)');
  await shot(page, '03-module-kind-error');
  await page.getByTestId('undo').click();
  await expect(inspector.getByTestId('module-input')).toHaveValue('azure-samples/explore-iot-operations/temperature:1.0.0');
  await expect(inspector.getByTestId('module-kind-error')).toHaveCount(0);

  // Wire it in: map → filter → sink, and drop map → sink (the inspector grew: fit the graph into the view first).
  await canvas.locator('.react-flow__controls-fitview').click();
  await expect.poll(async () => (await node(page, 'sink').boundingBox())!.y + 60).toBeLessThan((await canvas.locator('.react-flow__pane').boundingBox())!.y + (await canvas.locator('.react-flow__pane').boundingBox())!.height);
  await connect(page, map.locator('.react-flow__handle[data-handleid="out"]'), filter.locator('.react-flow__handle[data-handleid="in"]'));
  await connect(page, filter.locator('.react-flow__handle[data-handleid="out"]'), node(page, 'sink').locator('.react-flow__handle[data-handleid="in"]'));
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(4);
  // Click the map → sink edge halfway between the two.
  const [m, k] = [(await map.boundingBox())!, (await node(page, 'sink').boundingBox())!];
  await page.mouse.click(m.x + m.width / 2, (m.y + m.height + k.y) / 2);
  await expect(canvas.locator('[data-testid="rf__edge-c1"]')).toHaveClass(/selected/);
  await page.keyboard.press('Delete');
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(3);
  expect(await yamlOf(page)).not.toContain('{ from: { name: module-temperature/map }, to: { name: sink } }');

  // Undo with the keyboard (focus on the canvas), redo with the button.
  await page.keyboard.press('Control+z');
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(4);
  await page.getByTestId('redo').click();
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(3);
  await expect(page.getByTestId('diagnostics').locator('.diag-error')).toHaveCount(0);
  await shot(page, '04-wired-in');

  // Copy/paste: the copy gets a unique name and lands offset; undo takes it away again.
  await filter.click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  const copy = node(page, 'module-temperature/filter-2');
  await expect(copy).toBeVisible();
  const [orig, pasted] = [(await filter.boundingBox())!, (await copy.boundingBox())!];
  expect(pasted.x).toBeGreaterThan(orig.x);
  expect(pasted.y).toBeGreaterThan(orig.y);
  expect(await yamlOf(page)).toContain('name: module-temperature/filter-2, module: azure-samples/explore-iot-operations/temperature:1.0.0');
  await shot(page, '05-pasted');
  await page.keyboard.press('Control+z');
  await expect(copy).toHaveCount(0);

  // Save as a new version to the docker-registry endpoint.
  await page.getByTestId('save-version').click();
  const dialog = page.getByTestId('save-dialog');
  await dialog.getByTestId('save-endpoint').selectOption(ENDPOINT);
  await expect(dialog.getByTestId('save-repository')).toHaveValue(SIMPLE_REPO);
  await expect(dialog.getByTestId('existing-tags')).toHaveText('a new repository');
  await expect(dialog.getByTestId('save-tag')).toHaveValue('1.0.1');
  await shot(page, '06-save-dialog');
  await dialog.getByTestId('save-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('graph-title')).toHaveText(`${registry.host}/${SIMPLE_REPO}:1.0.1`);
  await expect(page.getByTestId('unsaved')).toHaveCount(0);
  await expect(canvas.getByTestId('dirty-marker')).toHaveCount(0);
  expect(await yamlOf(page)).toContain('version: 1.0.1');

  // What the registry holds is the edited definition.
  const back = await request.get(`${url()}/api/registryendpoints/${ENDPOINT}/graph?artifact=${SIMPLE_REPO}:1.0.1`, { headers: headers() });
  const graph = (await back.json()) as { yaml: string; graph: { version: string; operations: { name: string }[] } };
  expect(graph.graph.version).toBe('1.0.1');
  expect(graph.graph.operations.map((o) => o.name)).toEqual(['source', 'module-temperature/map', 'sink', 'module-temperature/filter']);
  expect(graph.yaml).toContain('threshold:');

  // Saving the same tag again needs a confirmation.
  await page.getByTestId('save-version').click();
  await expect(dialog.getByTestId('save-tag')).toHaveValue('1.0.2');
  await dialog.getByTestId('save-tag').fill('1.0.1');
  await expect(dialog.getByTestId('overwrite-warning')).toBeVisible();
  await expect(dialog.getByTestId('save-confirm')).toBeDisabled();
  await dialog.getByTestId('save-overwrite').check();
  await expect(dialog.getByTestId('save-confirm')).toBeEnabled();
  await shot(page, '07-overwrite-confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The registry browser lists the new tag.
  await page.getByTestId('open-registry').click();
  await browser.getByTestId('endpoint-select').selectOption(ENDPOINT);
  await browser.getByRole('button', { name: SIMPLE_REPO, exact: true }).click();
  const row = browser.locator('[data-testid=artifacts] tr[data-tag="1.0.1"]');
  await expect(row).toContainText('graph');
  await row.click();
  await expect(browser.getByTestId('graph-preview')).toContainText('4 operations');
  await shot(page, '08-new-tag-in-registry-browser');
  expect(pageErrors).toEqual([]);
});
