/** Shared steps of the designer-defect specs: open the designer, open a sample graph, read the YAML. */
import { expect, type Page } from '@playwright/test';

export const url = () => process.env.WGS_E2E_URL!;
export const token = () => process.env.WGS_E2E_TOKEN!;
export const authHeaders = () => ({ authorization: `Bearer ${token()}` });
export const SIMPLE_REPO = 'azure-samples/explore-iot-operations/graph-simple';
export const COMPLEX_REPO = 'azure-samples/explore-iot-operations/graph-complex';

export async function openDesigner(page: Page) {
  await page.goto(`${url()}/?token=${token()}`);
  await expect(page.getByTestId('graph-list')).toBeVisible();
}

/** Opens a sample graph definition from the embedded registry, as a person does through the browser dialog. */
export async function openDefinition(page: Page, repo: string, operations: number) {
  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  await expect(browser.getByTestId('endpoint-select')).toHaveValue('embedded');
  await browser.getByRole('button', { name: repo, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('graph-preview').getByTestId('open-graph').click();
  await expect(browser).toHaveCount(0);
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(operations);
}

/** Creates a new data flow graph from the graph list and waits for its editor. */
export async function newDataflow(page: Page, name: string) {
  await page.getByTestId('new-graph').click();
  await page.getByTestId('new-graph-name').pressSequentially(name);
  await page.getByTestId('create-graph').click();
  await expect(page.getByTestId('dataflow-editor')).toBeVisible();
}

/** The text of a YAML editor; Monaco is a lazy chunk, so this waits for the editor to be there first. */
async function editorText(page: Page, name: 'wgsEditor' | 'wgsDataflowEditor'): Promise<string> {
  await page.waitForFunction((n) => !!(window as unknown as Record<string, unknown>)[n], name);
  return page.evaluate((n) => (window as unknown as Record<string, { getValue(): string }>)[n]!.getValue(), name);
}
export const definitionYaml = (page: Page) => editorText(page, 'wgsEditor');
export const dataflowYaml = (page: Page) => editorText(page, 'wgsDataflowEditor');

export const canvasNode = (page: Page, name: string) => page.getByTestId('canvas').locator(`[data-testid=operation-node][data-name="${name}"]`);
export const dataflowNode = (page: Page, name: string) => page.getByTestId('dataflow-canvas').locator(`[data-testid=dataflow-node][data-name="${name}"]`);

/** Replaces what a text field holds by selecting it all and typing, as a person does. */
export async function retype(page: Page, testId: string, text: string) {
  const field = page.getByTestId(testId);
  await field.click();
  await field.press('Control+a');
  await field.press('Delete');
  await field.pressSequentially(text);
}

/** How many messages an operation passed on in the running preview (0 before its badge shows). */
export async function outCount(page: Page, operation: string): Promise<number> {
  const counts = canvasNode(page, operation).getByTestId('live-counts');
  return Number((await counts.getAttribute('data-out', { timeout: 1000 }).catch(() => null)) ?? 0);
}
