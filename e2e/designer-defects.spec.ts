/**
 * Defects a new user tripped on (issue 12), each driven as a person would:
 * real key presses and clicks, read back from what the page shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { SIMPLE_REPO, dataflowNode, dataflowYaml, definitionYaml, newDataflow, openDefinition, openDesigner } from './defects-helpers.ts';

/** Puts the cursor at the end of the first line of a Monaco editor and types there. */
async function typeOnNewFirstLine(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).locator('.view-lines').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.type(text);
}

test('the Space key types a space in both YAML editors', async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'space-key');
  await typeOnNewFirstLine(page, 'dataflow-yaml', '# hello world');
  await expect.poll(() => dataflowYaml(page)).toMatch(/^# hello world\n/);

  await page.getByTestId('nav-definition').click();
  await openDefinition(page, SIMPLE_REPO, 3);
  await typeOnNewFirstLine(page, 'yaml-panel', '# hello world');
  await expect.poll(() => definitionYaml(page)).toMatch(/^# hello world\n/);
});

test('a disabled primary button looks disabled and clicking it does nothing', async ({ page }) => {
  await openDesigner(page);
  await page.getByTestId('new-graph').click();
  // Not a valid name (a space): Create is disabled.
  await page.getByTestId('new-graph-name').pressSequentially('Temp Converter');
  const create = page.getByTestId('create-graph');
  await expect(create).toBeDisabled();
  const look = (el: HTMLElement) => ({ opacity: Number(getComputedStyle(el).opacity), cursor: getComputedStyle(el).cursor, background: getComputedStyle(el).backgroundColor });
  const disabled = await create.evaluate(look);
  expect(disabled.opacity).toBeLessThanOrEqual(0.6);
  expect(disabled.cursor).toBe('not-allowed');
  await create.click({ force: true });
  await expect(page.getByTestId('new-graph-form')).toBeVisible();
  await expect(page.getByTestId('dataflow-editor')).toHaveCount(0);
  // Fixed, it is a normal primary button again.
  await page.getByTestId('new-graph-name').press('Control+a');
  await page.getByTestId('new-graph-name').pressSequentially('temp-converter-look');
  await expect(create).toBeEnabled();
  const enabled = await create.evaluate(look);
  expect(enabled.opacity).toBe(1);
  expect(enabled.cursor).toBe('pointer');
  expect(enabled.background).not.toBe(disabled.background);
});

test('the favicon is served without the token: no 401 or failed request while changing views', async ({ page }) => {
  const failures: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') failures.push(`console: ${m.text()}`);
  });
  const icon = page.waitForResponse((r) => new URL(r.url()).pathname === '/favicon.svg');
  await openDesigner(page);
  expect((await icon).status()).toBe(200);
  expect((await icon).headers()['content-type']).toContain('image/svg+xml');
  for (const tab of ['nav-definition', 'nav-graphs', 'nav-definition', 'nav-graphs']) {
    await page.getByTestId(tab).click();
    await page.waitForTimeout(300);
  }
  await page.reload();
  await expect(page.getByTestId('graph-list')).toBeVisible();
  expect(failures).toEqual([]);
});

test('Escape closes every dialog and gives focus back to the button that opened it', async ({ page }) => {
  await openDesigner(page);
  // Registry browser.
  await page.getByTestId('open-registry').click();
  await expect(page.getByTestId('registry-browser')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('registry-browser')).toHaveCount(0);
  await expect(page.getByTestId('open-registry')).toBeFocused();

  // Save version (the definition editor).
  await openDefinition(page, SIMPLE_REPO, 3);
  await page.getByTestId('save-version').click();
  await expect(page.getByTestId('save-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('save-dialog')).toHaveCount(0);
  await expect(page.getByTestId('save-version')).toBeFocused();

  // Deploy, and the registry browser a transform opens.
  await page.getByTestId('nav-graphs').click();
  await newDataflow(page, 'escape-closes');
  await page.getByTestId('deploy-graph').click();
  await expect(page.getByTestId('deploy-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('deploy-dialog')).toHaveCount(0);
  await expect(page.getByTestId('deploy-graph')).toBeFocused();
  await page.getByTestId('add-transform').click();
  await page.getByTestId('pick-artifact').click();
  await expect(page.getByTestId('registry-browser')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('registry-browser')).toHaveCount(0);
  await expect(page.getByTestId('pick-artifact')).toBeFocused();
  // The editor behind is still there.
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
});

test('schema errors read as sentences: "Name is required", not Ajv\'s wording', async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'human-errors');
  // Empty the source's name in the YAML, as a person does: select the value and delete it.
  const editor = page.getByTestId('dataflow-yaml');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type('name: source');
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  for (let i = 0; i < 'source'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('""');
  const list = page.getByTestId('dataflow-diagnostics');
  await expect(list).toContainText('Name is required');
  // Remove the only topic too: a list that needs an entry says so.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type('- sensor/temperature/raw');
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(' []');
  await expect(list).toContainText('Data sources needs at least one entry');
  await expect(list).not.toContainText('must NOT');
  await expect(list).not.toContainText('must match pattern');
  // The node says it in the same words.
  await expect(page.getByTestId('dataflow-problems')).toHaveText(/\d+ errors?/);
});

test('a side-panel edit applies as it is typed (no Apply), and undo takes back one field\'s burst at a time', async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'panel-edits-kept');
  await dataflowNode(page, 'destination').click();
  const topic = page.getByTestId('destination-topic');
  await topic.click();
  await topic.press('Control+a');
  await topic.pressSequentially('plant/line-1/converted');
  // Still in the field: the canvas and the YAML already show it.
  await expect(topic).toBeFocused();
  await expect(dataflowNode(page, 'destination')).toContainText('plant/line-1/converted');
  await expect.poll(() => dataflowYaml(page)).toContain('dataDestination: plant/line-1/converted');
  await expect(page.getByTestId('apply-destination')).toHaveCount(0);
  // The source's topic, the same way.
  await dataflowNode(page, 'source').click();
  const row = page.getByTestId('topic-row').first();
  await row.click();
  await row.press('Control+a');
  await row.pressSequentially('plant/+/raw');
  await expect(dataflowNode(page, 'source')).toContainText('plant/+/raw');
  // One undo step per field's burst, in the editor's history.
  await page.getByTestId('undo').click();
  await expect(dataflowNode(page, 'source')).toContainText('sensor/temperature/raw');
  await expect(row).toHaveValue('sensor/temperature/raw');
  await expect(dataflowNode(page, 'destination')).toContainText('plant/line-1/converted');
  await page.getByTestId('undo').click();
  await expect(dataflowNode(page, 'destination')).not.toContainText('plant/line-1/converted');
});
