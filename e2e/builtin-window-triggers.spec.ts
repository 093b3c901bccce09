/**
 * Window 1.1.0's closing conditions and the filter's schema, typed as a
 * person does: a window 1.1.0 from the menu, a message count, a trigger whose
 * running function is picked from the completion list; a half-typed trigger
 * refusing the save; saved and read back (configuration JSON strings), the
 * panel reopened. A filter's validateSchema with no schema known warns, and
 * the incoming connection's schemaRef shows read-only with its connection; a
 * schemaRef override is checked as typed and saved as a plain string.
 * Screenshots: e2e/screenshots/wt1-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { authHeaders, dataflowNode, dataflowYaml, newDataflow, openDesigner, url } from './defects-helpers.ts';

type Saved = {
  spec: {
    nodes: { name: string; graphSettings?: { artifact: string; configuration?: { key: string; value: string }[] } }[];
    nodeConnections: { from: { name: string; schema?: unknown }; to: { name: string } }[];
  };
};

async function savedConfig(page: Page, graph: string, node: string) {
  const res = await page.request.get(`${url()}/api/dataflowgraphs/${graph}`, { headers: authHeaders() });
  expect(res.ok()).toBe(true);
  const { spec } = (await res.json()) as Saved;
  const n = spec.nodes.find((x) => x.name === node)!;
  return {
    artifact: n.graphSettings!.artifact,
    config: Object.fromEntries(n.graphSettings!.configuration!.map((c) => [c.key, c.value])),
    incoming: spec.nodeConnections.find((c) => c.to.name === node)?.from.schema,
  };
}

const COUNT = '{"type":"messageCount","maxMessageCount":5}\n';
const TRIGGERS = '{"type":"expression","rules":[{"inputs":["temperature"],"trigger":"running_sum($1) + $1 > 100"}]}\n';

test('window 1.1.0: a message count and a trigger with a running function picked from completion, refused half-typed, saved and reopened', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openDesigner(page);
  await newDataflow(page, 'window-triggers-e2e');
  await page.getByTestId('add-builtin').click();
  await page.getByTestId('add-builtin-window-1.1.0').click();
  const panel = page.getByTestId('builtin-panel');
  await expect(panel.getByTestId('transform-artifact')).toHaveText('azureiotoperations/graph-dataflow-window:1.1.0');
  await expect(panel.getByTestId('window-version')).toContainText('Version 1.1.0');

  await panel.getByTestId('window-count').pressSequentially('5');
  await expect.poll(() => dataflowYaml(page)).toContain(COUNT.trim());

  await panel.getByTestId('add-trigger').click();
  const trigger = panel.getByTestId('trigger-list').locator('[data-testid=rule][data-index="0"]');
  await trigger.getByTestId('rule-input').pressSequentially('temperature');
  const expression = trigger.getByTestId('rule-expression');
  await expression.pressSequentially('running_s');
  const suggestions = trigger.getByTestId('expression-suggestions');
  await expect(suggestions.getByRole('option')).toHaveText([/^running_sum/]);
  await expression.press('Enter');
  await expect(expression).toHaveValue('running_sum(');

  // Half-typed: the problem shows on the trigger, and the save is refused.
  await expression.pressSequentially('$1');
  await expect(trigger.getByTestId('rule-problem')).toHaveText('trigger 1: unclosed arguments of running_sum (column 15)');
  await expect(dataflowNode(page, 'window').getByTestId('error-badge')).toBeVisible();
  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'failed');
  await expect(page.getByTestId('save-outcome')).toContainText('window: trigger 1: unclosed arguments of running_sum');
  await page.screenshot({ path: 'e2e/screenshots/wt1-trigger-refused.png' });
  await page.getByTestId('save-outcome').getByRole('button', { name: 'OK' }).click();

  await expression.click();
  await expression.press('End');
  await expression.pressSequentially(') + $1 > 100');
  await expect(trigger.getByTestId('rule-problem')).toHaveCount(0);
  await expect(page.getByTestId('dataflow-problems')).toHaveText('valid');
  await page.screenshot({ path: 'e2e/screenshots/wt2-trigger-valid.png' });

  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');
  const saved = await savedConfig(page, 'window-triggers-e2e', 'window');
  expect(saved.artifact).toBe('azureiotoperations/graph-dataflow-window:1.1.0');
  expect(saved.config).toEqual({ delay: '{"type":"duration","delaySeconds":10}\n', rules: '{"accumulate":[]}\n', count: COUNT, triggers: TRIGGERS });

  // Reopened from the list: the editors show what was saved.
  await page.getByTestId('back-to-list').click();
  await page.locator('[data-testid=graph-row][data-name="window-triggers-e2e"] [data-testid=open-graph-row]').click();
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
  await dataflowNode(page, 'window').click();
  await expect(panel.getByTestId('window-count')).toHaveValue('5');
  await expect(panel.getByTestId('trigger-list').getByTestId('rule-input')).toHaveValue('temperature');
  await expect(panel.getByTestId('trigger-list').getByTestId('rule-expression')).toHaveValue('running_sum($1) + $1 > 100');
  await expect(panel.getByTestId('trigger-boundary')).toHaveValue('messageInCurrent');
  await page.screenshot({ path: 'e2e/screenshots/wt3-reopened.png' });
  expect(pageErrors).toEqual([]);
});

test("filter: validateSchema with no schema warns; the incoming connection's schemaRef shown; an override checked as typed, saved as a plain string", async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'filter-schema-e2e');
  await page.getByTestId('add-builtin').click();
  await page.getByTestId('add-builtin-filter').click();
  const panel = page.getByTestId('builtin-panel');
  await expect(panel.getByTestId('filter-schema')).toHaveCount(0);
  await panel.getByTestId('filter-validate-schema').check();
  await expect(panel.getByTestId('filter-schema-warning')).toContainText('no incoming connection has a schema');
  // A warning, not an error: the save is allowed.
  await expect(dataflowNode(page, 'filter').getByTestId('error-badge')).toHaveCount(0);

  // The incoming connection's schema: shown read-only, with the connection it comes from.
  const [from, to] = [await dataflowNode(page, 'source').boundingBox(), await dataflowNode(page, 'filter').boundingBox()];
  await page.mouse.click((from!.x + from!.width + to!.x) / 2, from!.y + from!.height / 2);
  await page.getByTestId('connection-schema').pressSequentially('aio-sr://factory/incoming:1');
  await dataflowNode(page, 'filter').click();
  await expect(panel.getByTestId('filter-incoming-schema')).toHaveText('connection from source: aio-sr://factory/incoming:1');
  await expect(panel.getByTestId('filter-schema-used')).toHaveText('Validates against aio-sr://factory/incoming:1 (from the connection from source)');
  await expect(panel.getByTestId('filter-schema-warning')).toHaveCount(0);

  // The node's own schemaRef overrides it.
  const ref = panel.getByTestId('filter-schema-ref');
  await ref.pressSequentially('aio-sr://factory');
  await expect(panel.getByTestId('filter-schema').getByTestId('rule-problem')).toHaveText('schemaRef "aio-sr://factory" has no :<version>');
  await ref.pressSequentially('/temperature:1');
  await expect(panel.getByTestId('filter-schema').getByTestId('rule-problem')).toHaveCount(0);
  await expect(panel.getByTestId('filter-schema-used')).toHaveText("Validates against aio-sr://factory/temperature:1 (this node's schemaRef)");
  await expect(panel.getByTestId('filter-schema-warning')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/wt4-filter-schema.png' });

  await page.getByTestId('save-graph').click();
  await expect(page.getByTestId('save-outcome')).toHaveAttribute('data-kind', 'saved');
  const saved = await savedConfig(page, 'filter-schema-e2e', 'filter');
  expect(saved.config).toEqual({ rules: '{"filter":[],"validateSchema":true}\n', schemaRef: 'aio-sr://factory/temperature:1' });
  expect(saved.incoming).toEqual({ schemaRef: 'aio-sr://factory/incoming:1' });
});
