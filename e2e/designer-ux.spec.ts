/**
 * What a new user expects from the designer (issue 12): live side-panel
 * edits with undo, dark mode, search, context menus, shift-click selection,
 * readable canvases. Typed and clicked as a person does.
 */
import { expect, test } from '@playwright/test';
import { COMPLEX_REPO, SIMPLE_REPO, authHeaders, canvasNode, dataflowNode, dataflowYaml, definitionYaml, newDataflow, openDefinition, openDesigner, url } from './defects-helpers.ts';
import { luminance } from './theme-helpers.ts';

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

test('names, module references and parameter keys apply as they are typed; an empty or taken one waits in the field, explained; one undo per burst', async ({ page }) => {
  await openDesigner(page);
  await newDataflow(page, 'ux-live-names');
  await dataflowNode(page, 'destination').click();
  const nodeName = page.getByTestId('node-name');
  await nodeName.click();
  await nodeName.press('Control+a');
  await nodeName.press('Delete');
  await expect(page.getByTestId('node-name-problem')).toHaveText('a node needs a name');
  await nodeName.pressSequentially('source');
  await expect(page.getByTestId('node-name-problem')).toHaveText('there is already a node named "source"');
  // Every valid prefix was applied on its way ("sourc"); the taken name is not.
  expect(await dataflowYaml(page)).toMatch(/name: sourc\n/);
  await nodeName.pressSequentially('-copy');
  // Valid again: written at once, the connection follows, the field keeps the focus.
  await expect.poll(() => dataflowYaml(page)).toContain('name: source-copy');
  await expect(page.getByTestId('node-name-problem')).toHaveCount(0);
  await expect(dataflowNode(page, 'source-copy')).toBeVisible();
  await expect(nodeName).toBeFocused();
  expect(await dataflowYaml(page)).not.toContain('name: destination');
  await page.getByTestId('dataflow-canvas').locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => dataflowYaml(page)).toContain('name: destination');
  expect(await dataflowYaml(page)).not.toContain('source-');

  await page.getByTestId('back-to-list').click();
  await openDefinition(page, SIMPLE_REPO, 3);
  await canvasNode(page, 'module-temperature/map').click();
  const inspector = page.getByTestId('inspector');
  const name = inspector.getByTestId('name-input');
  await name.click();
  await name.press('End');
  await name.pressSequentially('-f');
  await expect.poll(() => definitionYaml(page)).toContain('name: module-temperature/map-f');
  await expect(name).toBeFocused();
  await expect(canvasNode(page, 'module-temperature/map-f')).toBeVisible();
  await name.press('Control+a');
  await name.pressSequentially('sink');
  await expect(inspector.getByTestId('name-input-problem')).toHaveText('there is already an operation named "sink"');
  // Leaving the field drops what could not be applied and keeps the last name that could ("sin").
  await name.press('Tab');
  await expect(name).toHaveValue('sin');
  await expect(inspector.getByTestId('name-input-problem')).toHaveCount(0);
  await expect(canvasNode(page, 'sin')).toBeVisible();
  expect(await definitionYaml(page)).not.toContain('module-temperature/map-f');

  const moduleRef = inspector.getByTestId('module-input');
  await moduleRef.click();
  await moduleRef.press('End');
  await moduleRef.press('Backspace');
  await moduleRef.pressSequentially('2');
  await expect.poll(() => definitionYaml(page)).toContain('temperature:1.0.2');
  await expect(moduleRef).toBeFocused();

  await inspector.getByTestId('add-parameter').click();
  await inspector.getByTestId('add-parameter').click();
  const second = inspector.getByTestId('parameter-row').last().getByTestId('param-key');
  await second.click();
  await second.press('Control+a');
  await second.pressSequentially('param1');
  await expect(inspector.getByTestId('param-key-problem')).toHaveText('there is already a parameter "param1"');
  await second.pressSequentially('_max');
  await expect.poll(() => definitionYaml(page)).toContain('param1_max:');
  await expect(second).toBeFocused();
  await expect(second).toHaveValue('param1_max');
  // The whole key burst is one step back.
  await page.getByTestId('undo').click();
  await expect.poll(() => definitionYaml(page)).not.toContain('param1_max');
  expect(await definitionYaml(page)).toContain('param2');
});

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

/** A saved DataflowGraph with one graph transform, made through the API (the list is what is tested). */
function searchGraph(name: string, profile: string, artifact: string) {
  return {
    apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowGraph', metadata: { name, namespace: 'azure-iot-operations' },
    spec: {
      profileRef: profile, mode: 'Enabled', requestDiskPersistence: 'Disabled',
      nodes: [
        { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
        { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'embedded', artifact } },
        { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'out' } },
      ],
      nodeConnections: [{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }],
    },
  };
}

test('search: the graph list filters by name, profile and artifact; the registry browser by repository and tag; both say when nothing matches', async ({ page }) => {
  for (const g of [searchGraph('ux-search-alpha', 'ux-gpu-profile', `${SIMPLE_REPO}:1.0.0`), searchGraph('ux-search-beta', 'default', `${COMPLEX_REPO}:1.0.0`)]) {
    await page.request.delete(`${url()}/api/dataflowgraphs/${g.metadata.name}`, { headers: authHeaders() });
    const created = await page.request.post(`${url()}/api/dataflowgraphs`, { headers: authHeaders(), data: g });
    expect(created.ok(), await created.text()).toBe(true);
  }
  await openDesigner(page);
  const rows = page.getByTestId('graph-row');
  const search = page.getByTestId('graph-search');
  await search.click();
  await search.pressSequentially('ux-search');
  await expect(rows).toHaveCount(2);
  await search.press('Control+a');
  await search.pressSequentially('ux-gpu');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-name', 'ux-search-alpha');
  await search.press('Control+a');
  // Every word must match: this one's name and its artifact.
  await search.pressSequentially('UX-SEARCH graph-complex');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-name', 'ux-search-beta');
  await search.press('Control+a');
  await search.pressSequentially('no such graph');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('graphs-no-match')).toContainText('No graph matches "no such graph"');
  await page.getByTestId('graphs-no-match').getByRole('button', { name: 'Clear the search' }).click();
  await expect(search).toHaveValue('');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);

  await page.getByTestId('open-registry').click();
  const browser = page.getByTestId('registry-browser');
  const repos = browser.getByTestId('repositories').getByRole('button');
  await expect(repos.first()).toBeVisible();
  const all = await repos.count();
  await browser.getByTestId('repository-search').pressSequentially('GRAPH-SIMPLE');
  await expect.poll(() => repos.count()).toBeLessThan(all);
  for (const name of await repos.allTextContents()) expect(name).toContain('graph-simple');
  await browser.getByRole('button', { name: SIMPLE_REPO, exact: true }).click();
  const tags = browser.locator('[data-testid=artifacts] tbody tr');
  await expect(tags.first()).toBeVisible();
  await browser.getByTestId('tag-search').pressSequentially('9.9.9');
  await expect(tags).toHaveCount(0);
  await expect(browser.getByTestId('tags-no-match')).toContainText('No tag matches "9.9.9"');
  await browser.getByTestId('tag-search').press('Control+a');
  await browser.getByTestId('tag-search').pressSequentially('1.0');
  await expect(browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]')).toBeVisible();
  await browser.getByTestId('repository-search').press('Control+a');
  await browser.getByTestId('repository-search').pressSequentially('zzz-nothing');
  await expect(browser.getByTestId('repositories-no-match')).toContainText('No repository matches "zzz-nothing"');
  await browser.getByTestId('repository-search').press('Control+a');
  await browser.getByTestId('repository-search').press('Delete');
  await expect(repos).toHaveCount(all);
});

/** Right-clicks the middle of an edge (a straight vertical edge has no width, so Playwright calls it invisible). */
async function rightClickEdge(page: import('@playwright/test').Page, edge: import('@playwright/test').Locator) {
  const box = (await edge.locator('path').first().boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
}

/** Picks the simple sample graph for the selected transform, through the registry browser. */
async function pickSimpleGraph(page: import('@playwright/test').Page) {
  await page.getByTestId('pick-artifact').click();
  const browser = page.getByTestId('registry-browser');
  await browser.getByRole('button', { name: SIMPLE_REPO, exact: true }).click();
  await browser.locator('[data-testid=artifacts] tr[data-tag="1.0.0"]').click();
  await browser.getByTestId('open-graph').click();
  await expect(page.getByTestId('transform-artifact')).toHaveText(`${SIMPLE_REPO}:1.0.0`);
}

test('right-click on canvas nodes and edges: duplicate, delete, disconnect, open operator graph; Escape or a click away closes the menu', async ({ page }) => {
  await openDesigner(page);
  await openDefinition(page, SIMPLE_REPO, 3);
  const canvas = page.getByTestId('canvas');
  const menu = page.getByTestId('context-menu');
  await canvasNode(page, 'module-temperature/map').click({ button: 'right' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem')).toHaveText(['Duplicate', 'Delete']);
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await canvasNode(page, 'module-temperature/map').click({ button: 'right' });
  // A click anywhere else (here the header) closes it.
  await page.locator('header.topbar strong').click();
  await expect(menu).toHaveCount(0);
  await canvasNode(page, 'module-temperature/map').click({ button: 'right' });
  await menu.getByTestId('menu-duplicate').click();
  await expect(menu).toHaveCount(0);
  await expect(canvas.locator('.react-flow__node')).toHaveCount(4);
  await expect.poll(() => definitionYaml(page)).toMatch(/name: module-temperature\/map-?\w*copy|name: module-temperature\/map-2|name: module-temperature\/map\d/);
  const edges = canvas.locator('.react-flow__edge');
  await expect(edges).toHaveCount(2);
  await rightClickEdge(page, edges.first());
  await expect(menu.getByRole('menuitem')).toHaveText(['Disconnect']);
  await menu.getByTestId('menu-disconnect').click();
  await expect(edges).toHaveCount(1);
  await canvasNode(page, 'sink').click({ button: 'right' });
  await menu.getByTestId('menu-delete').click();
  await expect(canvasNode(page, 'sink')).toHaveCount(0);
  await page.getByTestId('undo').click();
  await expect(canvasNode(page, 'sink')).toHaveCount(1);

  // The data-flow editor: a graph transform offers its operator graph.
  await page.getByTestId('nav-graphs').click();
  await newDataflow(page, 'ux-context-menu');
  await page.getByTestId('add-transform').click();
  await pickSimpleGraph(page);
  await dataflowNode(page, 'source').click({ button: 'right' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Duplicate', 'Delete']);
  await menu.getByTestId('menu-duplicate').click();
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__node')).toHaveCount(4);
  await expect.poll(() => dataflowYaml(page)).toContain('name: source-copy');
  await dataflowNode(page, 'source-copy').click({ button: 'right' });
  await menu.getByTestId('menu-delete').click();
  await expect(dataflowNode(page, 'source-copy')).toHaveCount(0);
  const flowEdges = page.getByTestId('dataflow-canvas').locator('.react-flow__edge');
  const before = await flowEdges.count();
  await rightClickEdge(page, flowEdges.first());
  await menu.getByTestId('menu-disconnect').click();
  await expect(flowEdges).toHaveCount(before - 1);
  await dataflowNode(page, 'transform').click({ button: 'right' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Duplicate', 'Open operator graph', 'Delete']);
  page.once('dialog', (d) => void d.accept());
  await menu.getByTestId('menu-open-graph').click();
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(3);
  await expect(page.getByTestId('graph-title')).toContainText(SIMPLE_REPO);
});

test('shift+click adds to the selection in both canvases; Delete and copy/paste act on all selected', async ({ page }) => {
  await openDesigner(page);
  await openDefinition(page, SIMPLE_REPO, 3);
  const nodes = page.getByTestId('canvas').locator('.react-flow__node');
  await canvasNode(page, 'source').click();
  await canvasNode(page, 'module-temperature/map').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('canvas').locator('.react-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(nodes).toHaveCount(5);
  await page.getByTestId('undo').click();
  await expect(nodes).toHaveCount(3);
  await canvasNode(page, 'source').click();
  await canvasNode(page, 'sink').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('canvas').locator('.react-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(1);
  await expect(canvasNode(page, 'module-temperature/map')).toHaveCount(1);

  await page.getByTestId('nav-graphs').click();
  page.once('dialog', (d) => void d.accept());
  await newDataflow(page, 'ux-shift-select');
  const flowNodes = page.getByTestId('dataflow-canvas').locator('.react-flow__node');
  await dataflowNode(page, 'source').click();
  await dataflowNode(page, 'destination').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('dataflow-canvas').locator('.react-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(flowNodes).toHaveCount(4);
  await page.getByTestId('undo').click();
  await expect(flowNodes).toHaveCount(2);
  await dataflowNode(page, 'source').click();
  await dataflowNode(page, 'destination').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Delete');
  await expect(flowNodes).toHaveCount(0);
});

/** A generated definition: source, `ops - 2` maps in `lanes` parallel chains, sink. */
function generatedGraph(ops: number, lanes = 4): string {
  const maps = Array.from({ length: ops - 2 }, (_, i) => `m${i + 1}`);
  const lines = ['metadata:', '  name: generated', '  version: 1.0.0', 'moduleRequirements:', '  apiVersion: "1.1.0"', '  runtimeVersion: "1.1.0"', 'operations:',
    '  - { operationType: source, name: source }', ...maps.map((m) => `  - { operationType: map, name: ${m}, module: azure-samples/explore-iot-operations/temperature:1.0.0 }`),
    '  - { operationType: sink, name: sink }', 'connections:'];
  maps.forEach((m, i) => {
    const from = i < lanes ? 'source' : maps[i - lanes]!;
    lines.push(`  - { from: { name: ${from} }, to: { name: ${m} } }`);
  });
  for (const m of maps.slice(-lanes)) lines.push(`  - { from: { name: ${m} }, to: { name: sink } }`);
  return `${lines.join('\n')}\n`;
}

/** The canvas's zoom and the operation names' size on screen (px) at the current view. */
async function legibility(page: import('@playwright/test').Page) {
  return page.evaluate(() => {
    const viewport = document.querySelector('[data-testid=canvas] .react-flow__viewport') as HTMLElement;
    const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
    const name = document.querySelector('[data-testid=canvas] .op-name') as HTMLElement;
    return { zoom, namePx: parseFloat(getComputedStyle(name).fontSize) * zoom };
  });
}

test('canvases stay readable at fit view for 3 to 30 operations (1280×800): names at least 9 px on screen, the rest reached by scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openDesigner(page);
  await openDefinition(page, SIMPLE_REPO, 3);
  const simple = await legibility(page);
  await page.getByTestId('nav-graphs').click();
  await openDefinition(page, COMPLEX_REPO, 15);
  const complex = await legibility(page);
  await page.evaluate((yaml) => (window as unknown as { wgs: { designer: { getState(): { open(t: string, y: string): Promise<void> } } } }).wgs.designer.getState().open('generated-30', yaml), generatedGraph(30));
  await expect(page.getByTestId('canvas').locator('.react-flow__node')).toHaveCount(30);
  await page.waitForTimeout(500);
  const thirty = await legibility(page);
  console.log(JSON.stringify({ simple, complex, thirty }));
  await page.screenshot({ path: 'e2e/screenshots/ux-30-ops-1280x800.png' });
  for (const m of [simple, complex, thirty]) expect(m.namePx).toBeGreaterThanOrEqual(9);
  // The start of the graph is in view, clear of the palette; the rest is a scroll (wheel) away.
  const canvasBox = (await page.getByTestId('canvas').boundingBox())!;
  const source = (await canvasNode(page, 'source').boundingBox())!;
  expect(source.y).toBeGreaterThanOrEqual(canvasBox.y);
  expect(source.y + source.height).toBeLessThanOrEqual(canvasBox.y + canvasBox.height);
  expect(source.x).toBeGreaterThanOrEqual(canvasBox.x);
  expect(source.x + source.width).toBeLessThanOrEqual(canvasBox.x + canvasBox.width);
  const sink = canvasNode(page, 'sink');
  await expect(sink).not.toBeInViewport();
  await page.mouse.move(canvasBox.x + canvasBox.width / 2, canvasBox.y + canvasBox.height / 2);
  // Wheel by wheel, as a person scrolls down until the sink shows.
  for (let i = 0; i < 20 && !(await sink.evaluate((el) => { const r = el.getBoundingClientRect(); return r.bottom < innerHeight - 60; })); i++) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(50);
  }
  await expect(sink).toBeInViewport();
  expect((await legibility(page)).zoom).toBeCloseTo(thirty.zoom);
});
