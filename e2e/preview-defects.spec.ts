/**
 * The live preview follows the graph (issue 12): its topics come from the data
 * flow's sources, or from what the simulator publishes for a definition opened
 * alone; another graph starts without the old one's samples; an open, visible
 * tab keeps the preview running past the server's idle timeout.
 */
import { expect, test } from '@playwright/test';
import { COMPLEX_REPO, SIMPLE_REPO, canvasNode, dataflowNode, newDataflow, openDefinition, openDesigner, outCount, retype } from './defects-helpers.ts';
import { PREVIEW_IDLE_MS } from './global-setup.ts';

const MAP = 'module-temperature/map';
const SIMULATOR_TOPICS = 'sensor/temperature/raw, sensor/humidity/raw, sensor/images/raw';

test('samples of a previous graph do not show on a new graph\'s nodes of the same name', async ({ page }) => {
  await openDesigner(page);
  await openDefinition(page, SIMPLE_REPO, 3);
  await page.getByTestId('preview-start').click();
  await expect.poll(() => outCount(page, MAP), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await canvasNode(page, MAP).click();
  await expect(page.getByTestId('preview-panel').locator('[data-testid=preview-sample]').first()).toBeVisible();
  await page.getByTestId('preview-stop').click();

  // The complex graph has a module-temperature/map too: nothing of the simple graph's preview shows on it.
  await openDefinition(page, COMPLEX_REPO, 15);
  await canvasNode(page, MAP).click();
  await expect(page.getByTestId('inspector')).toContainText(MAP);
  await expect(page.locator('[data-testid=preview-sample]')).toHaveCount(0);
  await expect(page.getByTestId('canvas').getByTestId('live-counts')).toHaveCount(0);
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'idle');
});

test('a definition opened alone is previewed on the simulator\'s topics; one opened from a data flow on its sources\' topics', async ({ page }) => {
  await openDesigner(page);
  await page.getByTestId('nav-definition').click();
  await openDefinition(page, COMPLEX_REPO, 15);
  await expect(page.getByTestId('preview-topics')).toHaveValue(SIMULATOR_TOPICS);
  await page.getByTestId('preview-start').click();
  // Temperatures and camera frames both arrive, with nothing typed.
  await expect.poll(() => outCount(page, MAP), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => outCount(page, 'module-format/map'), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('preview-stop').click();

  // A data flow reading another topic: its transform's preview listens there.
  await page.getByTestId('nav-graphs').click();
  await newDataflow(page, 'preview-follows-sources');
  await dataflowNode(page, 'source').click();
  const topic = page.getByTestId('topic-row').first();
  await topic.click();
  await topic.press('Control+a');
  await topic.pressSequentially('sensor/humidity/raw');
  // Leaving the panel applies the topic.
  await page.getByTestId('add-transform').click();
  await expect(dataflowNode(page, 'source')).toContainText('sensor/humidity/raw');
  await page.getByTestId('pick-artifact').click();
  const browser = page.getByTestId('registry-browser');
  await browser.getByRole('button', { name: SIMPLE_REPO, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('open-graph').click();
  await page.getByTestId('open-definition').click();
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(3);
  await expect(page.getByTestId('preview-topics')).toHaveValue('sensor/humidity/raw');

  // Opened alone again: back to the simulator's topics.
  await openDefinition(page, SIMPLE_REPO, 3);
  await expect(page.getByTestId('preview-topics')).toHaveValue(SIMULATOR_TOPICS);
});

test('an open, visible tab keeps the preview running past the server\'s idle timeout', async ({ page }) => {
  test.setTimeout(PREVIEW_IDLE_MS * 2 + 60_000);
  await openDesigner(page);
  await openDefinition(page, SIMPLE_REPO, 3);
  await retype(page, 'preview-topics', 'sensor/temperature/raw');
  await page.getByTestId('preview-start').click();
  await expect.poll(() => outCount(page, MAP), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
  // Nothing clicked or typed for longer than the server waits for an idle page.
  await page.waitForTimeout(PREVIEW_IDLE_MS * 1.5);
  const before = await outCount(page, MAP);
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'running');
  await expect.poll(() => outCount(page, MAP), { timeout: 10_000 }).toBeGreaterThan(before);
  await expect(page.getByTestId('preview-problem')).toHaveCount(0);
  await page.getByTestId('preview-stop').click();
});
