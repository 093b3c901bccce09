/**
 * What a new user expects from the designer (issue 12): live side-panel
 * edits with undo, dark mode, search, context menus, shift-click selection,
 * readable canvases. Typed and clicked as a person does.
 */
import { expect, test } from '@playwright/test';
import { SIMPLE_REPO, canvasNode, dataflowNode, dataflowYaml, definitionYaml, newDataflow, openDefinition, openDesigner } from './defects-helpers.ts';

test('side-panel edits reach the YAML as they are typed; Ctrl+Z takes back one field\'s burst (both editors)', async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'ux-live-edits');
  await dataflowNode(page, 'destination').click();
  const topic = page.getByTestId('destination-topic');
  await topic.click();
  await topic.press('Control+a');
  await topic.press('Delete');
  await topic.pressSequentially('plant/a');
  await expect.poll(() => dataflowYaml(page)).toMatch(/dataDestination: "?plant\/a"?\n/);
  await topic.pressSequentially('/converted');
  await expect.poll(() => dataflowYaml(page)).toMatch(/dataDestination: "?plant\/a\/converted"?\n/);
  await expect(topic).toBeFocused();
  // Ctrl+Z on the canvas (in the field it is the field's own undo): the whole burst at once.
  await page.getByTestId('dataflow-canvas').locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => dataflowYaml(page)).not.toContain('plant/');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => dataflowYaml(page)).toMatch(/dataDestination: "?plant\/a\/converted"?\n/);
  await expect(dataflowNode(page, 'destination')).toContainText('plant/a/converted');

  // The definition editor's parameters: a description typed is in the YAML at once, one undo step.
  await page.getByTestId('back-to-list').click();
  await openDefinition(page, SIMPLE_REPO, 3);
  await canvasNode(page, 'module-temperature/map').click();
  const inspector = page.getByTestId('inspector');
  await inspector.getByTestId('add-parameter').click();
  const description = inspector.locator('[data-testid=parameter-row][data-key=param1]').getByTestId('param-description');
  await description.click();
  await description.pressSequentially('the cut-off in F');
  await expect.poll(() => definitionYaml(page)).toMatch(/description: "?the cut-off in F"?\n/);
  await page.getByTestId('undo').click();
  await expect.poll(() => definitionYaml(page)).not.toContain('the cut-off');
  await expect.poll(() => definitionYaml(page)).toContain('param1');
});

/** Relative luminance (0 black … 1 white) of a CSS rgb() colour. */
export function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const bodyLuminance = async (page: import('@playwright/test').Page) => luminance(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));

test('dark mode follows the OS, the header\'s choice overrides it and is remembered; Monaco and the canvas follow', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openDesigner(page);
  await page.evaluate(() => localStorage.removeItem('wgs.theme'));
  await page.reload();
  await expect(page.getByTestId('theme-choice')).toHaveValue('system');
  expect(await bodyLuminance(page)).toBeLessThan(0.05);
  // Text stays readable: the body's text is light on the dark background.
  expect(luminance(await page.evaluate(() => getComputedStyle(document.body).color))).toBeGreaterThan(0.6);
  await newDataflow(page, 'ux-dark-mode');
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow')).toHaveClass(/\bdark\b/);
  await expect(page.getByTestId('dataflow-yaml').locator('.monaco-editor')).toHaveClass(/vs-dark/);

  // Light, chosen in the header, wins over the OS and survives a reload.
  await page.getByTestId('theme-choice').selectOption('light');
  expect(await bodyLuminance(page)).toBeGreaterThan(0.8);
  await expect(page.getByTestId('dataflow-yaml').locator('.monaco-editor')).not.toHaveClass(/vs-dark/);
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow')).toHaveClass(/\blight\b/);
  await page.reload();
  await expect(page.getByTestId('theme-choice')).toHaveValue('light');
  expect(await bodyLuminance(page)).toBeGreaterThan(0.8);
  // Back to the OS's: dark again; a light OS then gives light.
  await page.getByTestId('theme-choice').selectOption('system');
  expect(await bodyLuminance(page)).toBeLessThan(0.05);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => bodyLuminance(page)).toBeGreaterThan(0.8);
});
