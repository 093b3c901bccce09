/**
 * Defects a new user tripped on (issue 12), each driven as a person would:
 * real key presses and clicks, read back from what the page shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { SIMPLE_REPO, dataflowYaml, definitionYaml, newDataflow, openDefinition, openDesigner } from './defects-helpers.ts';

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
