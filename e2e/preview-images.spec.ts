/**
 * Camera frames through the complex graph's image path, live: the simulator
 * publishes 224×224 rgb24 frames on sensor/images/raw; the format operator's
 * output is shown as a picture, not as hex. Screenshot: e2e/screenshots/p2-*.png.
 */
import { expect, test } from '@playwright/test';

const url = () => process.env.WGS_E2E_URL!;
const token = () => process.env.WGS_E2E_TOKEN!;
const REPO = 'azure-samples/explore-iot-operations/graph-complex';
const FORMAT = 'module-format/map';

test('a camera frame at the format operator is drawn as an image', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url()}/?token=${token()}`);
  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  await browser.getByRole('button', { name: REPO, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('graph-preview').getByTestId('open-graph').click();
  const canvas = page.getByTestId('canvas');
  await expect(canvas.locator('.react-flow__node')).toHaveCount(15);

  await page.getByTestId('preview-topics').fill('sensor/images/raw');
  await page.getByTestId('preview-start').click();
  const format = canvas.locator(`[data-testid=operation-node][data-name="${FORMAT}"]`);
  const counts = format.getByTestId('live-counts');
  // A frame every 5 s from the simulator.
  await expect.poll(async () => Number((await counts.getAttribute('data-out', { timeout: 1000 }).catch(() => null)) ?? 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await format.click();
  const out = page.getByTestId('preview-panel').locator('[data-testid=preview-sample][data-event=out]').first();
  await out.click();
  const image = page.getByTestId('preview-panel').getByTestId('frame-image');
  await expect(image).toBeVisible();
  expect(await image.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([224, 224]);
  // Real pixels, not an empty canvas: a camera frame has many distinct colours.
  const colours = await image.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
  expect(colours).toBeGreaterThan(100);
  await page.screenshot({ path: 'e2e/screenshots/p2-01-camera-frame.png' });
  await page.getByTestId('preview-stop').click();
  expect(pageErrors).toEqual([]);
});
