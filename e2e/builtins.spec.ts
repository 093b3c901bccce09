/**
 * Issue 12, built-in transforms in the data-flow editor, typed and clicked as
 * a person does: the "+ Built-in transform" menu, a map (rename + cToF, with
 * function completion and a refused save while a rule is wrong), a filter
 * and a window wired by dragging handles, saved and read back (YAML, API,
 * rule editors after reopening), then previewed as a whole with each
 * node's latest input and output under its rules; a branch's outputs dragged to a node.
 * Screenshots go to e2e/screenshots/b*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { authHeaders, dataflowNode, dataflowYaml, newDataflow, openDesigner, url } from './defects-helpers.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png` });

/** Selects what a field holds and types the new text. */
async function retypeIn(field: Locator, text: string) {
  await field.click();
  await field.press('Control+a');
  await field.press('Delete');
  await field.pressSequentially(text);
}

async function addBuiltin(page: Page, kind: string) {
  await page.getByTestId('add-builtin').click();
  await expect(page.getByTestId('builtin-menu')).toBeVisible();
  await page.getByTestId(`add-builtin-${kind}`).click();
  await expect(page.getByTestId('builtin-panel')).toHaveAttribute('data-kind', kind);
  await expect(page.getByTestId('transform-artifact')).toHaveText(`azureiotoperations/graph-dataflow-${kind}:1.0.0`);
}

/** Drags from one node's output handle to another's input, as a person connects them. */
async function connect(page: Page, from: string, to: string, handle = '.react-flow__handle.source') {
  await dataflowNode(page, from).locator(handle).dragTo(dataflowNode(page, to).locator('.react-flow__handle.target'));
}

const fitView = (page: Page) => page.getByTestId('dataflow-canvas').locator('.react-flow__controls-fitview').click();
const rule = (page: Page, i: number) => page.getByTestId('builtin-panel').locator(`[data-testid=rule][data-index="${i}"]`);

const MAP_RULES = '{"map":[{"inputs":["temperature.unit"],"output":"unit"},{"inputs":["temperature.value"],"output":"temperature_f","expression":"cToF($1)"}]}\n';
const FILTER_RULES = '{"filter":[{"inputs":["temperature_f"],"expression":"$1 > 400","description":"too hot"}]}\n';
const WINDOW_DELAY = '{"type":"duration","delaySeconds":30}\n';
const WINDOW_RULES = '{"accumulate":[{"inputs":["temperature_f"],"output":"average_f","expression":"average($1)"}]}\n';

test('built-in map, filter and window: added from the menu, rules typed, wired, saved and read back', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openDesigner(page);
  await newDataflow(page, 'builtins-e2e');

  // Map: between source and destination, with the reference's passthrough rule.
  await addBuiltin(page, 'map');
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__edge')).toHaveCount(2);
  await expect(rule(page, 0).getByTestId('rule-input')).toHaveValue('*');
  await expect(rule(page, 0).getByTestId('rule-output')).toHaveValue('*');
  expect(await dataflowYaml(page)).toContain('registryEndpointRef: default');
  expect(await dataflowYaml(page)).toContain('{"map":[{"inputs":["*"],"output":"*"}]}');
  await shot(page, 'b1-map-added');

  // Rule 1 renames; rule 2 converts, its function picked from the completion list.
  await retypeIn(rule(page, 0).getByTestId('rule-input'), 'temperature.unit');
  await retypeIn(rule(page, 0).getByTestId('rule-output'), 'unit');
  await page.getByTestId('add-rule').click();
  await retypeIn(rule(page, 1).getByTestId('rule-input'), 'temperature.value');
  await retypeIn(rule(page, 1).getByTestId('rule-output'), 'temperature_f');
  const expression = rule(page, 1).getByTestId('rule-expression');
  await expression.click();
  await expression.pressSequentially('cT');
  await expect(page.getByTestId('expression-suggestions')).toContainText('cToF');
  await shot(page, 'b2-completion');
  await expression.press('Enter');
  await expect(expression).toHaveValue('cToF(');
  // A wrong rule first: $2 with one input is shown on the rule and the node, and the save is refused.
  await expression.pressSequentially('$2)');
  await expect(rule(page, 1).getByTestId('rule-problem')).toHaveText('rule 2: the expression uses $2 but the rule has 1 input(s) (column 6)');
  await expect(dataflowNode(page, 'map').getByTestId('error-badge')).toBeVisible();
  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'failed');
  await expect(page.getByTestId('save-outcome')).toContainText('map: rule 2: the expression uses $2 but the rule has 1 input(s)');
  await shot(page, 'b3-refused');
  await page.getByTestId('save-outcome').getByRole('button', { name: 'OK' }).click();
  await expression.click();
  await expression.press('End');
  await expression.press('ArrowLeft');
  await expression.press('Backspace');
  await expression.pressSequentially('1');
  await expect(expression).toHaveValue('cToF($1)');
  await expect(rule(page, 1).getByTestId('rule-problem')).toHaveCount(0);
  await expect(dataflowNode(page, 'map').getByTestId('error-badge')).toHaveCount(0);
  expect(await dataflowYaml(page)).toContain(MAP_RULES.trim());

  // Filter: one rule typed in.
  await addBuiltin(page, 'filter');
  await page.getByTestId('add-rule').click();
  await retypeIn(rule(page, 0).getByTestId('rule-input'), 'temperature_f');
  await rule(page, 0).getByTestId('rule-expression').pressSequentially('$1 > 400');
  await rule(page, 0).getByTestId('rule-description').pressSequentially('too hot');

  // Window: 30 s, the average of temperature_f.
  await addBuiltin(page, 'window');
  await expect(page.getByTestId('window-delay')).toHaveValue('10');
  await retypeIn(page.getByTestId('window-delay'), '30');
  await page.getByTestId('add-rule').click();
  await retypeIn(rule(page, 0).getByTestId('rule-input'), 'temperature_f');
  await retypeIn(rule(page, 0).getByTestId('rule-output'), 'average_f');
  await rule(page, 0).getByTestId('rule-expression').pressSequentially('average($1)');
  await expect(rule(page, 0).getByTestId('rule-problem')).toHaveCount(0);

  // Wiring: map → filter → window → destination instead of map → destination.
  await fitView(page);
  // Click the edge half-way between the handles it joins (its curve passes there, whatever the rows).
  const [from, to] = [await dataflowNode(page, 'map').boundingBox(), await dataflowNode(page, 'destination').boundingBox()];
  await page.mouse.click((from!.x + from!.width + to!.x) / 2, (from!.y + from!.height / 2 + to!.y + to!.height / 2) / 2);
  await page.getByTestId('delete-connection').click();
  await connect(page, 'map', 'filter');
  await connect(page, 'filter', 'window');
  await connect(page, 'window', 'destination');
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__edge')).toHaveCount(4);
  await expect(page.getByTestId('dataflow-problems')).toHaveText('valid');
  await fitView(page);
  await shot(page, 'b4-wired');

  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');

  // Read back: the stored resource holds the JSON strings exactly as the editors wrote them.
  const res = await page.request.get(`${url()}/api/dataflowgraphs/builtins-e2e`, { headers: authHeaders() });
  expect(res.ok()).toBe(true);
  const saved = (await res.json()) as { spec: { nodes: { name: string; graphSettings?: { registryEndpointRef: string; artifact: string; configuration?: { key: string; value: string }[] } }[]; nodeConnections: { from: { name: string }; to: { name: string } }[] } };
  const config = (name: string) => Object.fromEntries(saved.spec.nodes.find((n) => n.name === name)!.graphSettings!.configuration!.map((c) => [c.key, c.value]));
  expect(config('map')).toEqual({ rules: MAP_RULES });
  expect(config('filter')).toEqual({ rules: FILTER_RULES });
  expect(config('window')).toEqual({ delay: WINDOW_DELAY, rules: WINDOW_RULES });
  expect(saved.spec.nodes.find((n) => n.name === 'window')!.graphSettings).toMatchObject({ registryEndpointRef: 'default', artifact: 'azureiotoperations/graph-dataflow-window:1.0.0' });
  expect(saved.spec.nodeConnections.map((c) => `${c.from.name}→${c.to.name}`).sort()).toEqual(['filter→window', 'map→filter', 'source→map', 'window→destination']);

  // Reopened from the list: the YAML has the | blocks and the editors show the rules.
  await page.getByTestId('back-to-list').click();
  await page.locator('[data-testid=graph-row][data-name="builtins-e2e"] [data-testid=open-graph-row]').click();
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
  const yaml = await dataflowYaml(page);
  expect(yaml).toContain(`value: |\n              ${MAP_RULES.trim()}`);
  await dataflowNode(page, 'map').click();
  await expect(rule(page, 1).getByTestId('rule-expression')).toHaveValue('cToF($1)');
  await dataflowNode(page, 'window').click();
  await expect(page.getByTestId('window-delay')).toHaveValue('30');
  await shot(page, 'b5-reopened');

  // Preview of the whole data flow: each built-in shows what it received and sent, on the simulator's messages.
  await page.getByTestId('dataflow-preview-start').click();
  await expect(page.getByTestId('dataflow-preview-status')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await dataflowNode(page, 'map').click();
  await expect(page.getByTestId('rule-preview-in')).toContainText('"unit": "F"', { timeout: 20_000 });
  await expect(page.getByTestId('rule-preview-out')).toContainText('"temperature_f"', { timeout: 20_000 });
  // An edit restarts the preview with the last messages replayed: the new output name shows.
  await retypeIn(rule(page, 0).getByTestId('rule-output'), 'scale_unit');
  await expect(page.getByTestId('rule-preview-out')).toContainText('"scale_unit"', { timeout: 20_000 });
  await dataflowNode(page, 'filter').click();
  await expect(page.getByTestId('rule-preview-in')).toContainText('"temperature_f"', { timeout: 20_000 });
  await expect(page.getByTestId('rule-preview-out')).toContainText('"temperature_f"', { timeout: 20_000 });
  await shot(page, 'b6-preview');
  await page.getByTestId('dataflow-preview-stop').click();
  expect(pageErrors).toEqual([]);
});

test('a branch has true and false outputs to drag from', async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'builtins-branch-e2e');
  await addBuiltin(page, 'branch');
  const branch = page.getByTestId('builtin-panel');
  await retypeIn(branch.getByTestId('rule-expression'), '$1 > 5');
  await expect(branch.getByTestId('rule-problem')).toHaveText('rule 1: the expression uses $1 but the rule has 0 input(s) (column 1)');
  await branch.getByTestId('add-input').click();
  await branch.getByTestId('rule-input').pressSequentially('severity');
  await expect(branch.getByTestId('rule-problem')).toHaveCount(0);
  await addBuiltin(page, 'concatenate');
  await expect(page.getByTestId('concatenate-note')).toBeVisible();
  await fitView(page);
  await expect(dataflowNode(page, 'branch').getByTestId('handle-true')).toBeVisible();
  await expect(dataflowNode(page, 'branch').getByTestId('handle-false')).toBeVisible();
  await connect(page, 'branch', 'concatenate', '[data-testid=handle-true]');
  await connect(page, 'branch', 'concatenate', '[data-testid=handle-false]');
  await expect.poll(() => dataflowYaml(page)).toContain('name: branch.output.true');
  expect(await dataflowYaml(page)).toContain('name: branch.output.false');
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__edge')).toHaveCount(4);
  await shot(page, 'b7-branch');
});
