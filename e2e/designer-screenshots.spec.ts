/**
 * Every screen at 1280×800 and 1600×1000, light and dark, saved as
 * e2e/screenshots/s-<screen>-<w>x<h>-<theme>.png for looking at; each shot
 * also checks what a person would see: the theme's background, readable
 * text on it, and no horizontal scrollbar.
 */
import { expect, test, type Page } from '@playwright/test';
import { SIMPLE_REPO, authHeaders, canvasNode, newDataflow, openDefinition, openDesigner, outCount, url } from './defects-helpers.ts';
import { luminance } from './theme-helpers.ts';

const SIZES = [{ width: 1280, height: 800 }, { width: 1600, height: 1000 }];

async function shoot(page: Page, screen: string, theme: 'light' | 'dark') {
  const { width, height } = page.viewportSize()!;
  const seen = await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
    overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  const [bg, fg] = [luminance(seen.background), luminance(seen.text)];
  if (theme === 'dark') expect(bg, `${screen} background`).toBeLessThan(0.05);
  else expect(bg, `${screen} background`).toBeGreaterThan(0.8);
  // WCAG contrast of the body text on its background: at least 4.5.
  expect((Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05), `${screen} text contrast`).toBeGreaterThan(4.5);
  expect(seen.overflowX, `${screen} horizontal scrollbar`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `e2e/screenshots/s-${screen}-${width}x${height}-${theme}.png` });
}

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of every screen, ${theme}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize(SIZES[0]!);
    // The graph list shows at least this saved graph, whichever specs ran before.
    await page.request.delete(`${url()}/api/dataflowgraphs/shots-saved-${theme}`, { headers: authHeaders() });
    const saved = await page.request.post(`${url()}/api/dataflowgraphs`, {
      headers: authHeaders(),
      data: {
        apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowGraph', metadata: { name: `shots-saved-${theme}`, namespace: 'azure-iot-operations' },
        spec: { mode: 'Enabled', nodes: [{ nodeType: 'Source', name: 'in', sourceSettings: { endpointRef: 'default', dataSources: ['plant/in'] } }, { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'default', dataDestination: 'plant/out' } }], nodeConnections: [{ from: { name: 'in' }, to: { name: 'out' } }] },
      },
    });
    expect(saved.ok(), await saved.text()).toBe(true);
    await openDesigner(page);
    await expect(page.getByTestId('theme-choice')).toHaveValue('system');
    await newDataflow(page, `shots-${theme}`);
    await openDefinition(page, SIMPLE_REPO, 3);
    await page.getByTestId('preview-start').click();
    await expect.poll(() => outCount(page, 'module-temperature/map'), { timeout: 30_000 }).toBeGreaterThan(0);
    await canvasNode(page, 'module-temperature/map').click();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.getByTestId('nav-definition').click();
      await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(3);
      await shoot(page, 'definition-preview', theme);
      await page.getByTestId('nav-graphs').click();
      await expect(page.getByTestId('graph-row').first()).toBeVisible();
      await shoot(page, 'graph-list', theme);
      await page.getByTestId('nav-dataflow').click();
      await expect(page.getByTestId('dataflow-editor')).toBeVisible();
      await shoot(page, 'dataflow-editor', theme);
      await page.getByTestId('deploy-graph').click();
      await expect(page.getByTestId('deploy-changes')).toBeVisible();
      await shoot(page, 'deploy-dialog', theme);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('deploy-dialog')).toHaveCount(0);
    }
  });
}
