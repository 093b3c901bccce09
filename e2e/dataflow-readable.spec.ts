/**
 * Issue 12, readable canvases: the data-flow canvas at fit view, at 1280×800
 * and 1600×1000, for flows of 3 to 10 nodes. Node names and summaries stay
 * legible on screen, the flow reads left to right by its connections (a chain
 * of built-ins one step per column, a branch's true arm above its false arm),
 * no node lies under the controls or the minimap, and what does not fit is a
 * horizontal scroll away with the sources in view.
 */
import { expect, test, type Page } from '@playwright/test';
import { authHeaders, dataflowNode, openDesigner, url } from './defects-helpers.ts';

const MAP = '{"map":[{"inputs":["a"],"output":"b"}]}';
type Node = Record<string, unknown>;
const source = (name: string, topic: string): Node => ({ nodeType: 'Source', name, sourceSettings: { endpointRef: 'default', dataSources: [topic] } });
const builtin = (name: string, kind: string, rules?: string): Node => ({
  nodeType: 'Graph', name,
  graphSettings: { registryEndpointRef: 'default', artifact: `azureiotoperations/graph-dataflow-${kind}:1.0.0`, configuration: rules ? [{ key: 'rules', value: rules }] : [] },
});
const destination = (name: string, topic: string): Node => ({ nodeType: 'Destination', name, destinationSettings: { endpointRef: 'default', dataDestination: topic } });
const link = (from: string, to: string) => ({ from: { name: from }, to: { name: to } });
const flow = (name: string, nodes: Node[], links: ReturnType<typeof link>[]) => ({
  apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowGraph',
  metadata: { name, namespace: 'azure-iot-operations' },
  spec: { mode: 'Enabled', nodes, nodeConnections: links },
});

const FLOWS = {
  three: flow('readable-three', [source('in', 'plant/in'), builtin('rename', 'map', MAP), destination('out', 'plant/out')], [link('in', 'rename'), link('rename', 'out')]),
  // Written out of order: the layout follows the connections, not the manifest.
  chain: flow('readable-chain', [destination('out', 'plant/out'), builtin('third', 'map', MAP), builtin('second', 'map', MAP), builtin('first', 'map', MAP), source('in', 'plant/in')],
    [link('in', 'first'), link('first', 'second'), link('second', 'third'), link('third', 'out')]),
  branch: flow('readable-branch', [
    source('in', 'plant/in'), builtin('split', 'branch', '{"branch":{"inputs":["t"],"expression":"$1 > 1"}}'),
    builtin('on-false', 'map', MAP), builtin('on-true', 'map', MAP), builtin('merge', 'concatenate'), destination('out', 'plant/out'),
  ], [link('in', 'split'), link('split.output.false', 'on-false'), link('split.output.true', 'on-true'), link('on-true', 'merge'), link('on-false', 'merge'), link('merge', 'out')]),
  wide: flow('readable-wide', [
    ...['a', 'b', 'c'].map((x) => source(`line-${x}`, `plant/${x}`)), ...['a', 'b', 'c'].map((x) => builtin(`clean-${x}`, 'map', MAP)),
    builtin('merge', 'concatenate'), destination('out', 'plant/out'),
  ], [...['a', 'b', 'c'].map((x) => link(`line-${x}`, `clean-${x}`)), ...['a', 'b', 'c'].map((x) => link(`clean-${x}`, 'merge')), link('merge', 'out')]),
};

test.beforeAll(async ({ request }) => {
  for (const f of Object.values(FLOWS)) {
    await request.delete(`${url()}/api/dataflowgraphs/${f.metadata.name}`, { headers: authHeaders() });
    const created = await request.post(`${url()}/api/dataflowgraphs`, { headers: authHeaders(), data: f });
    expect(created.ok(), await created.text()).toBe(true);
  }
});

/** Opens a saved flow from the graph list and waits until its fit view has settled. */
async function openFlow(page: Page, f: { metadata: { name: string }; spec: { nodes: Node[] } }) {
  await page.getByTestId('nav-graphs').click();
  await page.locator(`[data-testid=graph-row][data-name="${f.metadata.name}"]`).getByTestId('open-graph-row').click();
  await expect(page.getByTestId('dataflow-canvas').locator('[data-testid=dataflow-node]')).toHaveCount(f.spec.nodes.length);
  let last = '';
  await expect.poll(async () => {
    const now = await page.locator('[data-testid=dataflow-canvas] .react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
    const settled = now === last;
    last = now;
    return settled;
  }, { intervals: [250] }).toBe(true);
}

/** The smallest name and summary sizes on screen (px), the zoom, and the page's width. */
function measure(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=dataflow-canvas]')!;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(canvas.querySelector('.react-flow__viewport')!).transform).a;
    const px = (selector: string) => Math.min(...Array.from(canvas.querySelectorAll(selector)).map((el) => parseFloat(getComputedStyle(el).fontSize) * zoom));
    return { zoom, namePx: px('.df-name'), summaryPx: px('.df-summary'), pageWidth: document.documentElement.scrollWidth, windowWidth: innerWidth };
  });
}

const box = async (page: Page, name: string) => (await dataflowNode(page, name).boundingBox())!;
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Nodes that lie under the controls or the minimap, or outside the canvas. */
async function hiddenNodes(page: Page, names: string[]): Promise<string[]> {
  const canvas = page.getByTestId('dataflow-canvas');
  const frame = (await canvas.boundingBox())!;
  const panels = await Promise.all((await canvas.locator('.react-flow__panel').all()).map(async (p) => (await p.boundingBox())!));
  const hidden: string[] = [];
  for (const name of names) {
    const b = await box(page, name);
    const inside = b.x >= frame.x && b.y >= frame.y && b.x + b.width <= frame.x + frame.width && b.y + b.height <= frame.y + frame.height;
    if (!inside || panels.some((p) => overlaps(b, p))) hidden.push(name);
  }
  return hidden;
}

const namesOf = (f: { spec: { nodes: Node[] } }) => f.spec.nodes.map((n) => n.name as string);

for (const viewport of [{ width: 1280, height: 800 }, { width: 1600, height: 1000 }]) {
  test(`data-flow canvas at ${viewport.width}×${viewport.height}: legible at fit view, laid out by the connections, nothing under the controls or the minimap`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openDesigner(page);
    const sizes: Record<string, unknown> = {};
    for (const [key, f] of Object.entries(FLOWS)) {
      await openFlow(page, f);
      const m = await measure(page);
      sizes[key] = m;
      await page.screenshot({ path: `e2e/screenshots/readable-${key}-${viewport.width}x${viewport.height}.png` });
      expect(m.namePx, key).toBeGreaterThanOrEqual(10);
      expect(m.summaryPx, key).toBeGreaterThanOrEqual(9);
      expect(m.pageWidth, key).toBeLessThanOrEqual(m.windowWidth);
      // The sources are where reading starts: always in view, clear of the overlays.
      expect(await hiddenNodes(page, namesOf(f).filter((n) => n === 'in' || n.startsWith('line-'))), key).toEqual([]);
    }
    console.log(JSON.stringify({ viewport, sizes }));
    // Flows of up to four steps fit whole at both sizes; five steps fit at 1600 (at 1280 they scroll, below).
    for (const f of [FLOWS.three, FLOWS.wide, ...(viewport.width >= 1600 ? [FLOWS.chain, FLOWS.branch] : [])]) {
      await openFlow(page, f);
      expect(await hiddenNodes(page, namesOf(f)), f.metadata.name).toEqual([]);
    }

    // The chain reads left to right in the order of its connections, on one row.
    await openFlow(page, FLOWS.chain);
    const order = await Promise.all(['in', 'first', 'second', 'third', 'out'].map((n) => box(page, n)));
    for (let i = 1; i < order.length; i++) {
      expect(order[i]!.x).toBeGreaterThan(order[i - 1]!.x + order[i - 1]!.width);
      expect(Math.abs(order[i]!.y - order[0]!.y)).toBeLessThan(2);
    }
    if (viewport.width < 1600) {
      // Too long for a legible fit: the destination is a horizontal scroll away, at the same zoom.
      const before = await measure(page);
      const out = dataflowNode(page, 'out');
      const frame = (await page.getByTestId('dataflow-canvas').boundingBox())!;
      expect(await hiddenNodes(page, ['out'])).toEqual(['out']);
      await page.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 2);
      for (let i = 0; i < 20 && (await hiddenNodes(page, ['out'])).length; i++) {
        await page.mouse.wheel(120, 0);
        await page.waitForTimeout(50);
      }
      await expect(out).toBeInViewport({ ratio: 1 });
      expect((await measure(page)).zoom).toBeCloseTo(before.zoom);
    }

    // The branch's arms stay apart: true above false, both between the branch and the merge.
    await openFlow(page, FLOWS.branch);
    const [split, onTrue, onFalse, merge] = await Promise.all(['split', 'on-true', 'on-false', 'merge'].map((n) => box(page, n)));
    expect(onTrue!.y + onTrue!.height).toBeLessThan(onFalse!.y);
    expect(onTrue!.x).toBeGreaterThan(split!.x + split!.width);
    expect(merge!.x).toBeGreaterThan(onTrue!.x + onTrue!.width);
    expect(dataflowNode(page, 'split')).toContainText('Built-in branch');
  });
}
