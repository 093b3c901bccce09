/**
 * A running data-flow preview counts on the canvas: every node (source,
 * built-in filter, destination) shows in/out/drop/err, each edge its message
 * count, readable at fit view. Typed and clicked as a person does.
 * Screenshot: e2e/screenshots/lc1-live-counts.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { dataflowNode, newDataflow, openDesigner } from './defects-helpers.ts';

const canvas = (page: Page) => page.getByTestId('dataflow-canvas');
const counts = (page: Page, node: string) => dataflowNode(page, node).getByTestId('df-live-counts');

/** One DOM snapshot (one React commit) of every node's counts and edge label, so equalities hold exactly. */
const snapshot = (page: Page) => page.evaluate(() => {
  const nodes: Record<string, { in: number; out: number; dropped: number; errors: number }> = {};
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-testid=dataflow-node]'))) {
    const c = el.querySelector<HTMLElement>('[data-testid=df-live-counts]');
    if (c) nodes[el.dataset.name!] = { in: Number(c.dataset.in), out: Number(c.dataset.out), dropped: Number(c.dataset.dropped), errors: Number(c.dataset.errors) };
  }
  const edges: Record<string, string> = {};
  for (const el of Array.from(document.querySelectorAll('.react-flow__edge'))) edges[el.getAttribute('data-testid')!] = el.querySelector('.react-flow__edge-text')?.textContent ?? '';
  return { nodes, edges };
});

test('a data-flow preview shows live counts per node and a message count per edge', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openDesigner(page);
  await newDataflow(page, 'live-counts-e2e');

  // A filter between the source and the destination that drops the warmer half of the simulator's readings.
  await page.getByTestId('add-builtin').click();
  await page.getByTestId('add-builtin-filter').click();
  const panel = page.getByTestId('builtin-panel');
  await panel.getByTestId('add-rule').click();
  const input = panel.locator('[data-testid=rule][data-index="0"]').getByTestId('rule-input');
  await input.click();
  await input.press('Control+a');
  await input.press('Delete');
  await input.pressSequentially('temperature.value');
  await panel.locator('[data-testid=rule][data-index="0"]').getByTestId('rule-expression').pressSequentially('$1 > 60');
  await expect(page.getByTestId('dataflow-problems')).toHaveText('valid');
  await expect(counts(page, 'filter')).toHaveCount(0);

  await page.getByTestId('dataflow-preview-start').click();
  await expect(page.getByTestId('dataflow-preview-status')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await canvas(page).locator('.react-flow__controls-fitview').click();
  // The simulator publishes once a second; wait for a few messages and at least one drop.
  await expect.poll(async () => Number(await counts(page, 'filter').getAttribute('data-dropped').catch(() => '0')), { timeout: 40_000 }).toBeGreaterThan(0);
  await expect.poll(async () => Number(await counts(page, 'destination').getAttribute('data-in').catch(() => '0')), { timeout: 40_000 }).toBeGreaterThan(0);
  await expect(counts(page, 'source')).toBeVisible();

  const { nodes, edges } = await snapshot(page);
  // Each edge counts what its `from` sent: the source's out, the filter's out (its sink).
  const label = (n: number) => `${n} msg${n === 1 ? '' : 's'}`;
  expect(Object.values(edges).sort()).toEqual([label(nodes.source!.out), label(nodes.filter!.out)].sort());
  // Nothing is created: a message is passed on, dropped or still on its way.
  expect(nodes.filter!.in).toBeLessThanOrEqual(nodes.source!.out);
  expect(nodes.filter!.out + nodes.filter!.dropped).toBeLessThanOrEqual(nodes.filter!.in);
  expect(nodes.destination!.in).toBeLessThanOrEqual(nodes.filter!.out);
  expect(nodes.filter!.errors).toBe(0);

  // Readable at fit view: the counts' text is at least 10 px on screen.
  const onScreen = await counts(page, 'filter').evaluate((el) => {
    const zoom = new DOMMatrixReadOnly(getComputedStyle(el.closest('.react-flow__viewport')!).transform).a;
    return parseFloat(getComputedStyle(el).fontSize) * zoom;
  });
  await page.screenshot({ path: 'e2e/screenshots/lc1-live-counts.png' });
  expect(onScreen).toBeGreaterThanOrEqual(10);

  // Stopped: the counts leave the canvas.
  await page.getByTestId('dataflow-preview-stop').click();
  await expect(counts(page, 'filter')).toHaveCount(0);
  await expect(canvas(page).locator('.react-flow__edge-text')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});
