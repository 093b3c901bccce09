/**
 * Nodes keep clear of each other (issue 12): palette clicks place new
 * operations in free space, and a rename typed in the YAML, undone and
 * redone, leaves every operation where it was.
 */
import { expect, test, type Page } from '@playwright/test';
import { SIMPLE_REPO, openDefinition, openDesigner } from './defects-helpers.ts';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function nodeBoxes(page: Page): Promise<Map<string, Box>> {
  const boxes = new Map<string, Box>();
  for (const node of await page.getByTestId('canvas').locator('[data-testid=operation-node]').all()) boxes.set((await node.getAttribute('data-name'))!, (await node.boundingBox())!);
  return boxes;
}

function overlapping(boxes: Map<string, Box>): string[] {
  const list = [...boxes];
  return list.flatMap(([a, boxA], i) => list.slice(i + 1).filter(([, boxB]) => overlaps(boxA, boxB)).map(([b]) => `${a} / ${b}`));
}

test('palette clicks place new operations in free space; a YAML rename, undo and redo keep every node in its place', async ({ page }) => {
  await openDesigner(page);
  await openDefinition(page, SIMPLE_REPO, 3);
  for (let i = 0; i < 3; i++) await page.getByTestId('palette').locator('[data-kind=map]').click();
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(6);
  expect(overlapping(await nodeBoxes(page))).toEqual([]);
  // Back to the three operations as opened.
  for (let i = 0; i < 3; i++) await page.getByTestId('undo').click();
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(3);
  const before = await nodeBoxes(page);

  // Rename the map in the YAML: its line only (the connections then name an unknown operation, which is fine here).
  await page.getByTestId('yaml-panel').locator('.view-lines').click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type('name: module-temperature/map,');
  await page.keyboard.press('Escape');
  // After the match, then back before its comma.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('-renamed');
  const renamed = page.getByTestId('canvas').locator('[data-testid=operation-node][data-name="module-temperature/map-renamed"]');
  await expect(renamed).toBeVisible();
  const at = async () => (await nodeBoxes(page));
  await expect.poll(async () => (await at()).get('module-temperature/map-renamed')).toEqual(before.get('module-temperature/map'));
  expect(overlapping(await at())).toEqual([]);
  await page.getByTestId('undo').click();
  await expect.poll(async () => [...(await at()).keys()].sort()).toEqual([...before.keys()].sort());
  expect(await at()).toEqual(before);
  await page.getByTestId('redo').click();
  await expect(renamed).toBeVisible();
  expect((await at()).get('module-temperature/map-renamed')).toEqual(before.get('module-temperature/map'));
  expect(overlapping(await at())).toEqual([]);
});
