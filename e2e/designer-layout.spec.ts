/**
 * The designer never gets wider than the window (issue 12): long samples in
 * the preview panel wrap or scroll inside it, the YAML stays on screen.
 */
import { expect, test, type Page } from '@playwright/test';
import { COMPLEX_REPO, SIMPLE_REPO, canvasNode, openDefinition, openDesigner, outCount, retype } from './defects-helpers.ts';

// Nodes whose samples are long one-line JSON (measured: the page grew to 1,754–1,872 px at 1600×1000).
const LONG_SAMPLES = ['module-temperature/map', 'module-collection/accumulate', 'module-enrichment/map', 'sink'];

const pageWidth = (page: Page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));

test('selecting a node with long samples during a preview keeps the page within the viewport (1280×800 and 1600×1000)', async ({ page }) => {
  await openDesigner(page);
  await openDefinition(page, COMPLEX_REPO, 15);
  await retype(page, 'preview-topics', 'sensor/#');
  await page.getByTestId('preview-start').click();
  await expect.poll(() => outCount(page, 'module-enrichment/map'), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1600, height: 1000 }]) {
    await page.setViewportSize(viewport);
    await page.getByTestId('layout').click();
    for (const operation of LONG_SAMPLES) {
      await canvasNode(page, operation).click();
      await expect(page.getByTestId('preview-panel').getByTestId('operation-view')).toHaveAttribute('data-operation', operation);
      await expect(page.getByTestId('preview-panel').locator('[data-testid=preview-sample]').first()).toBeVisible();
      const { scroll, inner } = await pageWidth(page);
      expect(scroll, `${operation} at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(inner);
      // The YAML editor is wholly on screen.
      const yaml = (await page.getByTestId('yaml-panel').boundingBox())!;
      expect(yaml.x + yaml.width).toBeLessThanOrEqual(viewport.width + 0.5);
    }
  }
  await page.getByTestId('preview-stop').click();
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Nodes lying under one of the canvas's floating panels (palette, toolbar, controls, minimap). */
async function coveredNodes(page: Page, canvasTestId: string): Promise<string[]> {
  const canvas = page.getByTestId(canvasTestId);
  const panels: Box[] = [];
  for (const panel of await canvas.locator('.react-flow__panel').all()) panels.push((await panel.boundingBox())!);
  const covered: string[] = [];
  for (const node of await canvas.locator('.react-flow__node').all()) {
    const box = (await node.boundingBox())!;
    if (panels.some((p) => overlaps(box, p))) covered.push((await node.getAttribute('data-id')) ?? '?');
  }
  return covered;
}

test('at fit view no node lies under the toolbar, palette, controls or minimap', async ({ page }) => {
  await openDesigner(page);
  await openDefinition(page, COMPLEX_REPO, 3 + 12);
  // The complex graph is larger than the canvas at a legible zoom (designer-ux.spec): its start (the
  // source) is in view and clear of every panel; the rest scrolls under them.
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1600, height: 1000 }]) {
    await page.setViewportSize(viewport);
    await page.getByTestId('layout').click();
    await expect.poll(async () => (await coveredNodes(page, 'canvas')).includes('source'), { message: `${viewport.width}×${viewport.height}` }).toBe(false);
    await expect(canvasNode(page, 'source')).toBeInViewport({ ratio: 1 });
  }
  // A graph that fits: nothing under any panel.
  await page.getByTestId('nav-graphs').click();
  await openDefinition(page, SIMPLE_REPO, 3);
  await page.getByTestId('layout').click();
  await expect.poll(() => coveredNodes(page, 'canvas')).toEqual([]);
  // The data-flow editor has a minimap too, and it covers no node either.
  await page.getByTestId('nav-graphs').click();
  await page.getByTestId('new-graph').click();
  await page.getByTestId('new-graph-name').pressSequentially('fit-view-panels');
  await page.getByTestId('create-graph').click();
  await page.getByTestId('add-transform').click();
  const dataflow = page.getByTestId('dataflow-canvas');
  await expect(dataflow.locator('.react-flow__minimap')).toBeVisible();
  await dataflow.locator('.react-flow__controls-fitview').click();
  await expect.poll(() => coveredNodes(page, 'dataflow-canvas')).toEqual([]);
});

test('the header stays one row at 1280×800 in every view, a long graph name cut with the whole name in its tooltip', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openDesigner(page);
  const header = page.locator('header.topbar');
  const oneRow = async () => (await header.boundingBox())!.height;
  const graphsHeight = await oneRow();
  expect(graphsHeight).toBeLessThan(60);
  await openDefinition(page, COMPLEX_REPO, 3 + 12);
  const title = page.getByTestId('graph-title');
  await expect(title).toHaveText(`${COMPLEX_REPO}:1.0.0`);
  await expect(title).toHaveAttribute('title', `${COMPLEX_REPO}:1.0.0`);
  expect(await oneRow()).toBeCloseTo(graphsHeight, 0);
  // Every control of the header is on its row and inside the window.
  const theme = (await page.getByTestId('theme-choice').boundingBox())!;
  const headerBox = (await header.boundingBox())!;
  expect(theme.y + theme.height).toBeLessThanOrEqual(headerBox.y + headerBox.height);
  expect(theme.x + theme.width).toBeLessThanOrEqual(1280);
  expect((await pageWidth(page)).scroll).toBeLessThanOrEqual(1280);
});
