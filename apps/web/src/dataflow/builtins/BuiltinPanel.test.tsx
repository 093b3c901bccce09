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
function open(kind: 'map' | 'window' | 'throttle' | 'branch', edit?: (yaml: string) => string) {
  let { text } = addBuiltin(newDataflowGraphYaml('g'), kind);
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
});
