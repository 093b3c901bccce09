import { describe, expect, it } from 'vitest';
import { addNode, analyseManifest, newDataflowGraphYaml, setNodeValue, writeLayout } from './manifest.ts';
import { changedNodes, COLUMN_WIDTH, dataflowToFlow, ROW_HEIGHT } from './flow.ts';

const graph = () => addNode(newDataflowGraphYaml('g'), 'Graph', { artifact: 'graph-simple:1.0.0', registryEndpointRef: 'embedded' }).text;

describe('DataflowGraph on the canvas', () => {
  it('puts sources, transforms and destinations in three columns, connected as the manifest says', () => {
    const { value, diagnostics } = analyseManifest(graph());
    const { nodes, edges } = dataflowToFlow(value, diagnostics);
    expect(nodes.map((n) => [n.id, n.data.nodeType, n.position.x])).toEqual([
      ['source', 'Source', 0], ['transform', 'Graph', COLUMN_WIDTH], ['destination', 'Destination', 2 * COLUMN_WIDTH],
    ]);
    expect(nodes[0]!.data).toMatchObject({ summary: 'default', detail: 'sensor/temperature/raw' });
    expect(nodes[1]!.data).toMatchObject({ summary: 'graph-simple:1.0.0', detail: 'embedded · 0 configured' });
    expect(edges.map((e) => [e.source, e.target])).toEqual([['source', 'transform'], ['transform', 'destination']]);
  });

  it('uses positions from the layout annotation', () => {
    const { value } = analyseManifest(writeLayout(graph(), { transform: [5, 600] }));
    expect(dataflowToFlow(value, []).nodes.find((n) => n.id === 'transform')!.position).toEqual({ x: 5, y: 600 });
  });

  it('places a node the user has not pinned by its connections, below any pinned node in its spot', () => {
    // The transform is pinned where the destination's automatic spot is.
    const { value } = analyseManifest(writeLayout(graph(), { transform: [2 * COLUMN_WIDTH, 0], source: [0, 0] }));
    const at = new Map(dataflowToFlow(value, []).nodes.map((n) => [n.id, n.position]));
    expect(at.get('transform')).toEqual({ x: 2 * COLUMN_WIDTH, y: 0 });
    expect(at.get('destination')).toEqual({ x: 2 * COLUMN_WIDTH, y: ROW_HEIGHT });
  });

  it('shows errors on the node and the connection they concern', () => {
    const text = setNodeValue(graph(), 'source', ['sourceSettings', 'endpointRef'], 'nowhere');
    const { value, diagnostics } = analyseManifest(text, { endpoints: [], registryEndpoints: [] });
    const { nodes } = dataflowToFlow(value, diagnostics);
    expect(nodes.find((n) => n.id === 'source')!.data.errors.join(' ')).toMatch(/nowhere/);
  });

  it('marks nodes changed since the baseline', () => {
    const before = graph();
    const after = setNodeValue(before, 'destination', ['destinationSettings', 'dataDestination'], 'other');
    expect([...changedNodes(analyseManifest(before).value, analyseManifest(after).value)]).toEqual(['destination']);
  });
});

describe('what a transform previews on', () => {
  it('reads the topics and endpoint of the sources feeding it, or all sources when none does directly', async () => {
    const { feedOf } = await import('./flow.ts');
    let text = graph();
    text = addNode(text, 'Source', { name: 'humidity' }).text;
    text = setNodeValue(text, 'humidity', ['sourceSettings'], { endpointRef: 'plant-kafka', dataSources: ['humidity-raw'] });
    const { connect } = await import('./manifest.ts');
    const fed = connect(text, 'humidity', 'transform');
    expect(feedOf(analyseManifest(fed).value, 'transform')).toEqual({ topics: ['sensor/temperature/raw', 'humidity-raw'], endpoint: 'default' });
    const second = addNode(fed, 'Graph', { name: 'later', artifact: 'a:1' }).text;
    const chained = connect(second, 'transform', 'later');
    expect(feedOf(analyseManifest(chained).value, 'later')).toEqual({ topics: ['sensor/temperature/raw', 'humidity-raw'], endpoint: 'default' });
    const onlyHumidity = connect(addNode(fed, 'Graph', { name: 'h', artifact: 'a:1' }).text, 'humidity', 'h');
    expect(feedOf(analyseManifest(onlyHumidity).value, 'h')).toEqual({ topics: ['humidity-raw'], endpoint: 'plant-kafka' });
  });
});
