/**
 * The designer against the real server: open the complex graph from the
 * embedded registry, see its 15 operations laid out with branch arms, break
 * the YAML and see the error on the right node and line; preview the simple
 * graph live on the simulator's messages. Screenshots of each step go to
 * e2e/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';

const url = () => process.env.WGS_E2E_URL!;
const token = () => process.env.WGS_E2E_TOKEN!;
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png` });
const COMPLEX_REPO = 'azure-samples/explore-iot-operations/graph-complex';

async function openComplexGraph(page: Page) {
  await page.goto(`${url()}/?token=${token()}`);
  await expect(page.getByText('WASM Graph Studio')).toBeVisible();
  // The token moves from the address into sessionStorage.
  await expect(page).toHaveURL(`${url()}/`);
  await shot(page, '01-empty-designer');

  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  await expect(browser.getByTestId('endpoint-select')).toHaveValue('embedded');
  await browser.getByRole('button', { name: COMPLEX_REPO, exact: true }).click();
  const row = browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]');
  await expect(row).toContainText('graph');
  await expect(row).toContainText('sha256:');
  await shot(page, '02-registry-tags');

  await row.click();
  const preview = browser.getByTestId('graph-preview');
  await expect(preview).toContainText('15 operations');
  await expect(preview.locator('.react-flow__node')).toHaveCount(15);
  await shot(page, '03-graph-preview');
  await preview.getByTestId('open-graph').click();
  await expect(browser).toHaveCount(0);
}

test('open the complex graph, see it laid out, break the YAML and see the error on the node and the line', async ({ page, request }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openComplexGraph(page);

  // 15 operations, laid out (distinct positions), with the branch arms labelled.
  const canvas = page.getByTestId('canvas');
  const nodes = canvas.locator('.react-flow__node');
  await expect(nodes).toHaveCount(15);
  await expect(page.getByTestId('graph-title')).toHaveText(`${COMPLEX_REPO}:1.0.0`);
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(16);
  await expect.poll(async () => {
    const boxes = await nodes.evaluateAll((els) => els.map((e) => (e as HTMLElement).style.transform));
    return new Set(boxes).size;
  }).toBe(15);
  const arms = (id: string) => canvas.locator(`[data-testid="rf__edge-${id}"] .react-flow__edge-text`);
  // connections 2/3 leave module-snapshot/branch, 7/8 module-temperature/branch.
  await expect(arms('c2')).toHaveText('True');
  await expect(arms('c3')).toHaveText('False');
  await expect(arms('c7')).toHaveText('True');
  await expect(arms('c8')).toHaveText('False');
  await expect(canvas.locator('.react-flow__edge-text')).toHaveCount(4);
  for (const branch of ['module-snapshot/branch', 'module-temperature/branch']) {
    const node = canvas.locator(`[data-testid=operation-node][data-name="${branch}"]`);
    await expect(node).toHaveAttribute('data-kind', 'branch');
    await expect(node.locator('.react-flow__handle[data-handleid="True"]')).toHaveCount(1);
    await expect(node.locator('.react-flow__handle[data-handleid="False"]')).toHaveCount(1);
  }
  await expect(canvas.getByTestId('error-badge')).toHaveCount(0);
  // The sample carries one warning (a parameter key differing from its name), no errors.
  await expect(page.getByTestId('diagnostics').locator('.diag-error')).toHaveCount(0);
  await expect(page.getByTestId('diagnostics').locator('.diag-warning')).toHaveCount(1);
  await shot(page, '04-complex-graph-laid-out');

  // Break module-temperature/filter's operationType in Monaco, typing as a person would.
  const graph = await request.get(`${url()}/api/registryendpoints/embedded/graph?artifact=${COMPLEX_REPO}:1.0.0`, {
    headers: { authorization: `Bearer ${token()}` },
  });
  const yaml = ((await graph.json()) as { yaml: string }).yaml;
  const lines = yaml.split('\n');
  const index = lines.findIndex((l) => l.includes('operationType: filter, name: module-temperature/filter'));
  expect(index).toBeGreaterThan(0);
  const line = index + 1;
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  // Home goes to the first non-blank character; walk to just after "filte" and delete the "e".
  await page.keyboard.press('Home');
  const text = lines[index]!;
  const steps = text.indexOf('filter,') + 5 - (text.length - text.trimStart().length);
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Backspace');

  const broken = canvas.locator('[data-testid=operation-node][data-name="module-temperature/filter"]');
  await expect(broken.getByTestId('error-badge')).toBeVisible();
  await expect(canvas.getByTestId('error-badge')).toHaveCount(1);
  await expect(broken).toHaveAttribute('data-kind', 'filtr');
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeAttached();
  const markerLines = await page.evaluate(() => {
    const ed = (window as unknown as { wgsEditor: { getModel(): unknown } }).wgsEditor;
    const monaco = (window as unknown as { wgsMonaco: { editor: { getModelMarkers(f: { resource?: unknown }): { startLineNumber: number; severity: number }[] } } }).wgsMonaco;
    const model = ed.getModel() as { uri: unknown };
    return monaco.editor.getModelMarkers({ resource: model.uri }).filter((m) => m.severity === 8).map((m) => m.startLineNumber);
  });
  expect(markerLines.length).toBeGreaterThan(0);
  expect(new Set(markerLines)).toEqual(new Set([line]));
  const listed = page.getByTestId('diagnostics').locator('.diag-error').first();
  await expect(listed).toHaveAttribute('data-line', String(line));
  await expect(listed).toContainText('operationType');
  await broken.click();
  await expect(page.getByTestId('inspector')).toContainText('module-temperature/filter');
  await shot(page, '05-broken-operation-type');

  // Undo in the editor: the error goes away again.
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+z');
  await expect(canvas.getByTestId('error-badge')).toHaveCount(0);
  await expect(page.getByTestId('diagnostics').locator('.diag-error')).toHaveCount(0);
  await expect(broken).toHaveAttribute('data-kind', 'filter');
  await shot(page, '06-fixed-by-undo');

  expect(pageErrors).toEqual([]);
});

test('a canvas edit reaches the YAML: changing a module in the inspector', async ({ page }) => {
  await openComplexGraph(page);
  const canvas = page.getByTestId('canvas');
  await canvas.locator('[data-testid=operation-node][data-name="module-format/map"]').click();
  const input = page.getByTestId('module-input');
  await expect(input).toHaveValue('azure-samples/explore-iot-operations/format:1.0.0');
  await input.fill('azure-samples/explore-iot-operations/format:2.0.0');
  await input.press('Enter');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('format:2.0.0');
  await expect(canvas.locator('[data-testid=operation-node][data-name="module-format/map"]')).toContainText('format:2.0.0');
  await shot(page, '07-module-changed-from-canvas');
});

test('a live preview of the simple graph: counts on the node and converted samples in the panel', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const repo = 'azure-samples/explore-iot-operations/graph-simple';
  await page.goto(`${url()}/?token=${token()}`);
  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  await expect(browser.getByTestId('endpoint-select')).toHaveValue('embedded');
  await browser.getByRole('button', { name: repo, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('graph-preview').getByTestId('open-graph').click();
  await expect(browser).toHaveCount(0);
  await expect(page.getByTestId('graph-title')).toHaveText(`${repo}:1.0.0`);
  const canvas = page.getByTestId('canvas');
  await expect(canvas.locator('.react-flow__node')).toHaveCount(3);

  // No counts before a preview runs.
  await expect(canvas.getByTestId('live-counts')).toHaveCount(0);
  await page.getByTestId('preview-topics').fill('sensor/temperature/raw');
  await page.getByTestId('preview-start').click();

  // The simulator publishes once a second: within 15 s the map has sent something on.
  const map = canvas.locator('[data-testid=operation-node][data-name="module-temperature/map"]');
  const counts = map.getByTestId('live-counts');
  await expect.poll(async () => Number((await counts.getAttribute('data-out', { timeout: 1000 }).catch(() => null)) ?? 0), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'running');
  await expect(counts).toHaveAttribute('data-errors', '0');

  await map.click();
  const out = page.getByTestId('preview-panel').locator('[data-testid=preview-sample][data-event=out]').first();
  await expect(out).toBeVisible();
  await expect(out).toHaveAttribute('data-encoding', 'json');
  const payload = await out.getByTestId('sample-payload').textContent();
  expect(payload!.replace(/\s/g, '')).toContain('"unit":"C"');
  // The converted value is the simulator's °F in °C: the input samples still say F.
  const input = page.getByTestId('preview-panel').locator('[data-testid=preview-sample][data-event=in]').first();
  expect((await input.getByTestId('sample-payload').textContent())!.replace(/\s/g, '')).toContain('"unit":"F"');
  // The panels took room from the canvas: fit the graph into what is left for the picture.
  await page.getByRole('button', { name: 'Layout', exact: true }).click();
  await expect(counts).toBeInViewport();
  await shot(page, '08-live-preview');

  await page.getByTestId('preview-stop').click();
  await expect(canvas.getByTestId('live-counts')).toHaveCount(0);
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'stopped');
  expect(pageErrors).toEqual([]);
});
