// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { builtinKindOf, type GraphNode } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { newDataflowGraphYaml } from '../manifest.ts';
import { addBuiltin, configOf } from './config.ts';
import { BuiltinPanel } from './BuiltinPanel.tsx';

let unsubscribe = () => {};
afterEach(() => {
  unsubscribe();
  cleanup();
});

/** Opens a graph with one built-in and renders its panel as the side panel does (re-rendered on each store change). */
function open(kind: 'map' | 'filter' | 'window' | 'throttle' | 'branch', edit?: (yaml: string) => string, version?: string) {
  let { text } = addBuiltin(newDataflowGraphYaml('g'), kind, version);
  if (edit) text = edit(text);
  useDataflow.getState().open(text);
  const node = () => useDataflow.getState().value!.spec.nodes.find((n) => n.name === kind) as GraphNode;
  const view = render(<BuiltinPanel node={node()} kind={builtinKindOf(node().graphSettings.artifact)!} />);
  unsubscribe = useDataflow.subscribe(() => view.rerender(<BuiltinPanel node={node()} kind={kind} />));
  return { config: () => configOf(node()) };
}
const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

describe('BuiltinPanel writes the JSON strings', () => {
  it('map: edits, adds, moves and removes rules', () => {
    const { config } = open('map');
    type(screen.getByTestId('rule-output'), 'all');
    expect(config().rules).toBe('{"map":[{"inputs":["*"],"output":"all"}]}\n');
    fireEvent.click(screen.getByTestId('add-rule'));
    type(screen.getAllByTestId('rule-input')[1]!, 'temperature');
    type(screen.getAllByTestId('rule-output')[1]!, 'temperature_f');
    type(screen.getAllByTestId('rule-expression')[1]!, 'cToF($1)');
    type(screen.getAllByTestId('rule-description')[1]!, 'to F');
    expect(config().rules).toBe('{"map":[{"inputs":["*"],"output":"all"},{"inputs":["temperature"],"output":"temperature_f","expression":"cToF($1)","description":"to F"}]}\n');
    fireEvent.click(screen.getAllByTestId('rule-up')[1]!);
    expect(JSON.parse(config().rules!).map.map((r: { output: string }) => r.output)).toEqual(['temperature_f', 'all']);
    type(screen.getAllByTestId('rule-expression')[0]!, '');
    expect(JSON.parse(config().rules!).map[0]).toEqual({ inputs: ['temperature'], output: 'temperature_f', description: 'to F' });
    fireEvent.click(screen.getAllByTestId('rule-remove')[0]!);
    expect(config().rules).toBe('{"map":[{"inputs":["*"],"output":"all"}]}\n');
  });

  it('map: a wrong expression shows on its rule with its column', () => {
    open('map');
    type(screen.getByTestId('rule-expression'), 'round_n($1)');
    expect(screen.getByTestId('rule-problem').textContent).toBe('rule 1: round_n() takes 2 argument(s), got 1 (column 1)');
  });

  it('window: duration and accumulate rules', () => {
    const { config } = open('window');
    type(screen.getByTestId('window-delay'), '30');
    expect(config().delay).toBe('{"type":"duration","delaySeconds":30}\n');
    fireEvent.click(screen.getByTestId('add-rule'));
    type(screen.getByTestId('rule-input'), 'temperature');
    type(screen.getByTestId('rule-output'), 'avg');
    type(screen.getByTestId('rule-expression'), 'average($1)');
    expect(config().rules).toBe('{"accumulate":[{"inputs":["temperature"],"output":"avg","expression":"average($1)"}]}\n');
    type(screen.getByTestId('window-delay'), '');
    expect(config().delay).toBeUndefined();
  });

  it('throttle: ordered rows of topic and rate, fractions typed through', () => {
    const { config } = open('throttle');
    fireEvent.click(screen.getByTestId('add-throttle'));
    type(screen.getAllByTestId('throttle-topic')[1]!, 'sensors/temperature');
    type(screen.getAllByTestId('throttle-rate')[1]!, '0.');
    expect(screen.getAllByTestId<HTMLInputElement>('throttle-rate')[1]!.value).toBe('0.');
    type(screen.getAllByTestId('throttle-rate')[1]!, '0.5');
    fireEvent.click(screen.getByLabelText('move rule 2 up'));
    expect(config().throttle).toBe('{"perTopicThrottles":[{"topic":"sensors/temperature","maxMessagesPerSecond":0.5},{"topic":"#","maxMessagesPerSecond":10}]}\n');
  });

  it('branch: the single rule object; unreadable JSON is left to the YAML', () => {
    const { config } = open('branch');
    fireEvent.click(screen.getByTestId('add-input'));
    type(screen.getByTestId('rule-input'), 'severity');
    type(screen.getByTestId('rule-expression'), '$1 > 5');
    expect(config().rules).toBe('{"branch":{"inputs":["severity"],"expression":"$1 > 5"}}\n');
    unsubscribe();
    cleanup();
    open('branch', (t) => t.replace('{"branch"', '{"branch" oops'));
    expect(screen.getByTestId('config-problem').textContent).toMatch(/^rules is not valid JSON/);
  });

  it('map: an enrichment dataset written as JSON, removed again; its alias offered as $context(<alias>) inputs', () => {
    const { config } = open('map');
    fireEvent.click(screen.getByTestId('add-dataset'));
    type(screen.getByTestId('dataset-key'), 'assets');
    type(screen.getByTestId('dataset-alias'), 'a');
    type(screen.getAllByTestId('dataset-input')[0]!, '$source.deviceId');
    type(screen.getAllByTestId('dataset-input')[1]!, '$context.id');
    expect(config().rules).toBe('{"map":[{"inputs":["*"],"output":"*"}],"datasets":[{"key":"assets as a","inputs":["$source.deviceId","$context.id"],"expression":"$1 == $2"}]}\n');
    const offered = [...document.querySelectorAll('#paths-map option')].map((o) => o.getAttribute('value'));
    expect(offered).toEqual(expect.arrayContaining(['$context(a)', '$context(a).id']));
    type(screen.getByTestId('dataset-expression'), '$1 ==');
    expect(screen.getByTestId('dataset-problem').textContent).toMatch(/^dataset 1: /);
    fireEvent.click(screen.getByTestId('dataset-remove'));
    expect(config().rules).toBe('{"map":[{"inputs":["*"],"output":"*"}]}\n');
  });

  it('window 1.1.0: count, memory and a trigger written into their own keys; the last trigger removed removes the key', () => {
    const { config } = open('window', undefined, '1.1.0');
    expect(screen.getByTestId('window-version').textContent).toMatch(/^Version 1\.1\.0/);
    expect(screen.queryByTestId('window-upgrade')).toBeNull();
    type(screen.getByTestId('window-count'), '5');
    expect(config().count).toBe('{"type":"messageCount","maxMessageCount":5}\n');
    fireEvent.change(screen.getByTestId('window-count-boundary'), { target: { value: 'messageInNext' } });
    expect(config().count).toBe('{"type":"messageCount","maxMessageCount":5,"boundaryMessage":"messageInNext"}\n');
    type(screen.getByTestId('window-memory'), '0');
    expect(screen.getAllByTestId('rule-problem').map((p) => p.textContent)).toEqual(['maxBufferBytes must be a whole number greater than 0']);
    type(screen.getByTestId('window-memory'), '');
    expect(config().memory).toBeUndefined();
    fireEvent.click(screen.getByTestId('add-trigger'));
    type(screen.getByTestId('rule-input'), 'temperature');
    type(screen.getByTestId('rule-expression'), 'running_sum($1)');
    expect(screen.getByTestId('rule-problem').textContent).toBe('trigger 1: the expression must give true or false, but gives a number; compare it, e.g. "$1 > 10" (column 1)');
    type(screen.getByTestId('rule-expression'), 'running_sum($1) + $1 > 100');
    type(screen.getByTestId('rule-description'), 'hot');
    fireEvent.change(screen.getByTestId('trigger-boundary'), { target: { value: 'messageInNext' } });
    expect(config().triggers).toBe('{"type":"expression","rules":[{"inputs":["temperature"],"trigger":"running_sum($1) + $1 > 100","description":"hot","boundaryMessage":"messageInNext"}]}\n');
    expect(screen.queryByTestId('rule-problem')).toBeNull();
    // A trigger dataset: written into the triggers value, its alias offered to trigger inputs.
    fireEvent.click(screen.getByTestId('add-dataset'));
    type(screen.getByTestId('dataset-key'), 'limits');
    type(screen.getAllByTestId('dataset-input')[0]!, '$source.deviceId');
    type(screen.getAllByTestId('dataset-input')[1]!, '$context.id');
    expect(JSON.parse(config().triggers!).datasets).toEqual([{ key: 'limits', inputs: ['$source.deviceId', '$context.id'], expression: '$1 == $2' }]);
    const offered = [...document.querySelectorAll('#paths-window-trigger option')].map((o) => o.getAttribute('value'));
    expect(offered).toEqual(expect.arrayContaining(['$context(limits)', '$context(limits).id', '$metadata.topic']));
    type(screen.getByTestId('dataset-expression'), '$1 ==');
    expect(screen.getByTestId('dataset-problem').textContent).toMatch(/^dataset 1: /);
    expect(screen.queryAllByTestId('config-problem')).toEqual([]);
    fireEvent.click(screen.getByTestId('dataset-remove'));
    expect(config().triggers).toBe('{"type":"expression","rules":[{"inputs":["temperature"],"trigger":"running_sum($1) + $1 > 100","description":"hot","boundaryMessage":"messageInNext"}]}\n');
    fireEvent.click(screen.getByTestId('rule-remove'));
    expect(config().triggers).toBeUndefined();
    expect(screen.queryByTestId('add-dataset')).toBeNull();
    expect(config().count).toBe('{"type":"messageCount","maxMessageCount":5,"boundaryMessage":"messageInNext"}\n');
  });

  it('window 1.0.0: shows its version and switches to 1.1.0, keeping the configuration', () => {
    const { config } = open('window');
    expect(screen.getByTestId('window-version').textContent).toMatch(/^Version 1\.0\.0: closed by duration only/);
    expect(screen.queryByTestId('window-count')).toBeNull();
    const before = config();
    fireEvent.click(screen.getByTestId('window-upgrade'));
    const node = useDataflow.getState().value!.spec.nodes.find((n) => n.name === 'window') as GraphNode;
    expect(node.graphSettings.artifact).toBe('azureiotoperations/graph-dataflow-window:1.1.0');
    expect(config()).toEqual(before);
    expect(screen.getByTestId('window-count')).toBeTruthy();
  });

  it("filter: validateSchema shows the schema used; an override is a plain string, checked as typed; none known is a warning", () => {
    const { config } = open('filter');
    expect(screen.queryByTestId('filter-schema')).toBeNull();
    fireEvent.click(screen.getByTestId('filter-validate-schema'));
    expect(config().rules).toBe('{"filter":[],"validateSchema":true}\n');
    expect(screen.getByTestId('filter-schema-warning').textContent).toMatch(/no incoming connection has a schema/);
    type(screen.getByTestId('filter-schema-ref'), 'aio-sr://factory');
    expect(screen.getByTestId('rule-problem').textContent).toBe('schemaRef "aio-sr://factory" has no :<version>');
    type(screen.getByTestId('filter-schema-ref'), 'aio-sr://factory/temperature:1');
    expect(config().schemaRef).toBe('aio-sr://factory/temperature:1');
    expect(useDataflow.getState().yaml).toContain('value: aio-sr://factory/temperature:1');
    expect(screen.getByTestId('filter-schema-used').textContent).toBe("Validates against aio-sr://factory/temperature:1 (this node's schemaRef)");
    type(screen.getByTestId('filter-schema-ref'), '');
    expect(config().schemaRef).toBeUndefined();
    fireEvent.click(screen.getByTestId('filter-validate-schema'));
    expect(config().rules).toBe('{"filter":[]}\n');
  });
});
