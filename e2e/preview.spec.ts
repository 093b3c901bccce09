/**
 * The live preview panel against the real server (embedded Mosquitto with the
 * sample simulator, embedded registry): preview the simple graph, read the
 * map's converted messages, its metrics and its throughput sparkline, click a
 * connection to see what flows on it, inject a message at the source and find
 * it counted and shown, replay the recent messages after an edit.
 * Screenshots go to e2e/screenshots/p1-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

const url = () => process.env.WGS_E2E_URL!;
const token = () => process.env.WGS_E2E_TOKEN!;
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/p1-${name}.png` });
const REPO = 'azure-samples/explore-iot-operations/graph-simple';
const MAP = 'module-temperature/map';
const counter = async (counts: Locator, name: 'in' | 'out' | 'errors') => Number((await counts.getAttribute(`data-${name}`, { timeout: 1000 }).catch(() => null)) ?? 0);
const flat = (text: string | null) => (text ?? '').replace(/\s/g, '');

async function openSimpleGraph(page: Page) {
  await page.goto(`${url()}/?token=${token()}`);
  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  await expect(browser.getByTestId('endpoint-select')).toHaveValue('embedded');
  await browser.getByRole('button', { name: REPO, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('graph-preview').getByTestId('open-graph').click();
  await expect(browser).toHaveCount(0);
  await expect(page.getByTestId('graph-title')).toHaveText(`${REPO}:1.0.0`);
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(3);
}

test('preview panel: converted messages, metrics, sparkline, an edge, injection and replay', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openSimpleGraph(page);
  const canvas = page.getByTestId('canvas');
  const panel = page.getByTestId('preview-panel');
  await page.getByTestId('preview-topics').fill('sensor/temperature/raw');
  await page.getByTestId('preview-start').click();
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'running');

  // The simulator publishes about once a second: the map converts °F readings to °C.
  const map = canvas.locator(`[data-testid=operation-node][data-name="${MAP}"]`);
  const counts = map.getByTestId('live-counts');
  await expect.poll(() => counter(counts, 'out'), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await expect(counts).toHaveAttribute('data-errors', '0');
  // The sparkline gets one point a second from the exact counters.
  const spark = map.getByTestId('sparkline');
  await expect.poll(async () => Number(await spark.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await expect(spark.locator('polyline')).toHaveAttribute('points', /\d+\.\d,\d+\.\d \d/);

  await map.click();
  const view = panel.getByTestId('operation-view');
  await expect(view).toHaveAttribute('data-operation', MAP);
  const out = view.locator('[data-testid=preview-sample][data-event=out]').first();
  await expect(out).toHaveAttribute('data-encoding', 'json');
  expect(flat(await out.getByTestId('sample-payload').textContent())).toContain('"unit":"C"');
  const input = view.locator('[data-testid=preview-sample][data-event=in]').first();
  expect(flat(await input.getByTestId('sample-payload').textContent())).toContain('"unit":"F"');
  // Chosen row, shown whole as pretty JSON.
  await out.locator('.sample-row').click();
  await expect(panel.getByTestId('detail-payload')).toContainText('"unit": "C"');
  // The map counts its requests through the metrics import (labelled by unit).
  const metric = view.locator('[data-testid=metric][data-name=requests]').first();
  await expect(metric).toBeVisible({ timeout: 10_000 });
  expect(Number(await metric.getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
  await expect(metric).toContainText('unit=Fahrenheit');
  await page.getByRole('button', { name: 'Layout', exact: true }).click();
  await expect(counts).toBeInViewport();
  await shot(page, '01-operation-messages-and-metrics');

  // The connection map → sink: the map's outputs.
  // A straight vertical edge has a box of zero width (Playwright calls it invisible): click the middle of its path.
  const line = await canvas.locator('[data-testid="rf__edge-c1"] path.react-flow__edge-path').evaluate((p) => {
    const r = p.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.mouse.click(line.x, line.y);
  const edgeView = panel.getByTestId('edge-view');
  await expect(edgeView).toHaveAttribute('data-edge', 'c1');
  await expect(edgeView).toContainText(`${MAP} → sink`);
  const onEdge = edgeView.locator('[data-testid=preview-sample]');
  await expect(onEdge.first()).toHaveAttribute('data-event', 'out');
  expect(flat(await onEdge.first().getByTestId('sample-payload').textContent())).toContain('"unit":"C"');
  await shot(page, '02-edge-messages');

  // Injection while paused: the simulator's messages are skipped, so the count moves by exactly one.
  await page.getByTestId('preview-pause').click();
  await expect(page.getByTestId('preview-status')).toContainText('paused');
  await page.waitForTimeout(1500);
  const before = await counter(counts, 'in');
  await page.getByTestId('inject-topic').fill('sensor/temperature/raw');
  await page.getByTestId('inject-payload').fill('{"temperature":{"value":212,"unit":"F"}}');
  await page.getByTestId('inject-properties').fill('origin=e2e');
  await page.getByTestId('inject-send').click();
  await expect(page.getByTestId('inject-status')).toHaveText('sent');
  await expect.poll(() => counter(counts, 'in')).toBe(before + 1);
  // 212 °F is 100 °C: the injected message is on the edge, with its user property.
  const injected = onEdge.filter({ hasText: /"value":100(\.0)?[,}]/ }).first();
  await expect(injected).toBeVisible();
  await injected.locator('.sample-row').click();
  await expect(panel.getByTestId('detail-properties')).toContainText('origin=e2e');
  await shot(page, '03-injected-message');

  // Refused injections say why: bad base64 (in the page), too large (by the server).
  await page.getByTestId('inject-encoding').selectOption('base64');
  await page.getByTestId('inject-payload').fill('not base64!');
  await page.getByTestId('inject-send').click();
  await expect(page.getByTestId('inject-problem')).toHaveText('the payload is not valid base64');
  await page.getByTestId('inject-encoding').selectOption('text');
  await page.getByTestId('inject-payload').fill('x'.repeat(300_000));
  await page.getByTestId('inject-send').click();
  await expect(page.getByTestId('inject-problem')).toContainText('payload-too-large');
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'running');
  await shot(page, '04-inject-too-large');
  await page.getByTestId('preview-pause').click();

  // Replay after edit: a fresh session gets the recent source messages at once.
  const source = canvas.locator('[data-testid=operation-node][data-name="source"]').getByTestId('live-counts');
  const seen = await counter(source, 'in');
  expect(seen).toBeGreaterThanOrEqual(3);
  await page.getByTestId('preview-replay').click();
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'running');
  await expect.poll(() => counter(source, 'in'), { timeout: 10_000 }).toBeGreaterThanOrEqual(Math.min(seen, 200));
  await shot(page, '05-replayed');

  await page.getByTestId('preview-stop').click();
  await expect(page.getByTestId('preview-bar')).toHaveAttribute('data-status', 'stopped');
  await page.getByTestId('inject-payload').fill('{}');
  await page.getByTestId('inject-send').click();
  await expect(page.getByTestId('inject-problem')).toContainText('not running');
  expect(pageErrors).toEqual([]);
});
