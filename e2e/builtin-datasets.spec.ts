/**
 * Enrichment datasets in a built-in map, typed as a person does: key, alias,
 * match inputs and expression written into the rules JSON; `$context(<alias>)`
 * offered to rule inputs; a wrong match expression shown on its row and
 * refusing the save; saved and read back byte for byte; removed again.
 * Screenshot: e2e/screenshots/ds1-datasets.png.
 */
import { expect, test, type Locator } from '@playwright/test';
import { authHeaders, dataflowYaml, newDataflow, openDesigner, url } from './defects-helpers.ts';

async function typeInto(field: Locator, text: string) {
  await field.click();
  await field.press('Control+a');
  await field.press('Delete');
  await field.pressSequentially(text);
}

const RULES = '{"map":[{"inputs":["*"],"output":"*"}],"datasets":[{"key":"assets as a","inputs":["$source.deviceId","$context.id"],"expression":"$1 == $2"}]}';

test('a map\'s enrichment dataset: typed, offered as $context(a), checked, saved and removed', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openDesigner(page);
  await newDataflow(page, 'datasets-e2e');
  await page.getByTestId('add-builtin').click();
  await page.getByTestId('add-builtin-map').click();
  const panel = page.getByTestId('builtin-panel');
  await expect(panel.getByTestId('dataset')).toHaveCount(0);

  await panel.getByTestId('add-dataset').click();
  const row = panel.locator('[data-testid=dataset][data-index="0"]');
  await row.getByTestId('dataset-key').pressSequentially('assets');
  await row.getByTestId('dataset-alias').pressSequentially('a');
  await typeInto(row.getByTestId('dataset-input').nth(0), '$source.deviceId');
  await typeInto(row.getByTestId('dataset-input').nth(1), '$context.id');
  await expect.poll(() => dataflowYaml(page)).toContain(RULES);
  await expect(page.getByTestId('dataflow-problems')).toHaveText('valid');

  // Rule inputs offer the dataset's record: $context(a) and the field its match reads.
  const offered = await panel.locator('datalist[id="paths-map"] option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  expect(offered).toEqual(expect.arrayContaining(['$context(a)', '$context(a).id', '$metadata.topic']));

  // A half-typed match expression: shown on the row, and the save is refused.
  const expression = row.getByTestId('dataset-expression');
  await expression.click();
  await expression.press('End');
  await expression.press('Backspace');
  await expression.press('Backspace');
  await expect(row.getByTestId('dataset-problem')).toContainText('dataset 1:');
  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'failed');
  await page.getByTestId('save-outcome').getByRole('button', { name: 'OK' }).click();
  await expression.click();
  await expression.press('End');
  await expression.pressSequentially('$2');
  await expect(row.getByTestId('dataset-problem')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/ds1-datasets.png' });

  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');
  const res = await page.request.get(`${url()}/api/dataflowgraphs/datasets-e2e`, { headers: authHeaders() });
  const saved = (await res.json()) as { spec: { nodes: { name: string; graphSettings?: { configuration?: { key: string; value: string }[] } }[] } };
  expect(saved.spec.nodes.find((n) => n.name === 'map')!.graphSettings!.configuration).toEqual([{ key: 'rules', value: `${RULES}\n` }]);

  // Removing the only dataset gives back the rules without the key.
  await row.getByTestId('dataset-remove').click();
  await expect.poll(() => dataflowYaml(page)).toContain('{"map":[{"inputs":["*"],"output":"*"}]}\n');
  expect(await dataflowYaml(page)).not.toContain('"datasets"');
  expect(pageErrors).toEqual([]);
});
