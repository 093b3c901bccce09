import { useMemo, type ReactNode } from 'react';
import { checkBuiltinConfiguration, type BuiltinKind, type GraphNode, type RuleProblem } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { usePreview } from '../../preview/store.ts';
import { configOf, readJson, setConfigJson, type Rule, type Throttle } from './config.ts';
import { fieldPaths, metadataPaths } from './completion.ts';
import { RuleList } from './RuleList.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { ThrottleRows } from './ThrottleRows.tsx';
import { NumberField } from './NumberField.tsx';
import { BUILTIN_INFO } from './kinds.ts';
import { RulePreview } from './RulePreview.tsx';
import { DatasetRows } from './DatasetRows.tsx';
import { contextInputs, datasetsOf, withDatasets } from './datasets.ts';
import './builtins.css';

/**
 * Writes one configuration value as the user types: the YAML follows each
 * keystroke; a burst in one configuration entry is one undo step (editField, as the other panels).
 */
function write(node: string, key: string, value: unknown) {
  useDataflow.getState().editField(`builtin:${node}:${key}`, (text) => setConfigJson(text, node, key, value));
}

const BLANK: Record<string, Rule> = {
  map: { inputs: [''], output: '' },
  filter: { inputs: [''], expression: '' },
  accumulate: { inputs: [''], output: '', expression: '' },
};

function Section({ title, problems, children }: { title: string; problems: RuleProblem[]; children: ReactNode }) {
  return (
    <div className="builtin-section">
      <div className="field-label">{title}</div>
      {problems.filter((p) => p.rule === undefined && !p.field).map((p, i) => <div key={i} className="diag diag-error" data-testid="config-problem">{p.message}</div>)}
      {children}
    </div>
  );
}

/** The side panel of a built-in transform: rule editors instead of the generic configuration form. */
export function BuiltinPanel({ node, kind }: { node: GraphNode; kind: BuiltinKind }) {
  const config = configOf(node);
  // Keyed by the text: configOf gives a new object each render.
  const configText = JSON.stringify(config);
  const problems = useMemo(() => checkBuiltinConfiguration(kind, JSON.parse(configText) as Record<string, string>), [kind, configText]);
  const samples = usePreview((s) => s.samples);
  const paths = useMemo(() => fieldPaths(samples, node.name), [samples, node.name]);
  const metadata = useMemo(() => metadataPaths(samples, node.name), [samples, node.name]);
  const pathList = `paths-${node.name}`;
  const sourceList = `source-paths-${node.name}`;
  const of = (key: string) => problems.filter((p) => p.key === key);
  // Dataset problems ("dataset <n>: …") show under their row, not above the rules.
  const ruleProblems = of('rules').filter((p) => !/^dataset \d+[: ]/.test(p.message));
  // Map, filter and branch rules may read enrichment datasets: `$context(<alias>)…` joins the offered inputs.
  const enriched = kind === 'map' || kind === 'filter' || kind === 'branch';
  const rulesValue = enriched ? readJson<Record<string, unknown>>(config.rules, {}).value : undefined;
  const inputPaths = [...contextInputs(datasetsOf(rulesValue)), ...paths, ...(enriched ? metadata : [])];
  const datasetsEditor = (value: Record<string, unknown>) => (
    <Section title="Enrichment datasets" problems={[]}>
      <DatasetRows datasets={datasetsOf(value)} problems={of('rules')} sourceList={sourceList}
        onChange={(datasets) => write(node.name, 'rules', withDatasets(value, datasets))} />
    </Section>
  );
  const info = BUILTIN_INFO[kind];

  const rulesOf = <T,>(key: string, fallback: T) => readJson<T>(config[key], fallback);
  const unreadable = (key: string, error: string) => (
    <div className="diag diag-error" data-testid="config-problem">{key} is not valid JSON ({error}): fix it in the YAML.</div>
  );

  let editor: ReactNode;
  if (kind === 'map' || kind === 'filter') {
    const listKey = kind;
    const r = rulesOf<Record<string, unknown>>('rules', { [listKey]: [] });
    editor = r.error !== undefined ? unreadable('rules', r.error) : (
      <>
        {datasetsEditor(r.value)}
        <Section title="Rules" problems={ruleProblems}>
          <RuleList rules={Array.isArray(r.value[listKey]) ? (r.value[listKey] as Rule[]) : []} output={kind === 'map'} mode="row" problems={of('rules')} pathList={pathList} blank={BLANK[kind]!}
            onChange={(rules) => write(node.name, 'rules', { ...r.value, [listKey]: rules })} />
        </Section>
      </>
    );
  } else if (kind === 'branch') {
    const r = rulesOf<{ branch?: Rule }>('rules', { branch: { inputs: [], expression: '' } });
    editor = r.error !== undefined ? unreadable('rules', r.error) : (
      <>
        {datasetsEditor(r.value)}
        <Section title="Condition (true and false outputs)" problems={ruleProblems}>
          <RuleEditor rule={r.value.branch ?? { inputs: [] }} index={0} count={1} output={false} mode="row" problems={of('rules').filter((p) => p.rule === 0)} pathList={pathList}
            onChange={(branch) => write(node.name, 'rules', { ...r.value, branch })} />
        </Section>
      </>
    );
  } else if (kind === 'window') {
    const d = rulesOf<{ type?: string; delaySeconds?: number } | undefined>('delay', undefined);
    const r = rulesOf<{ accumulate?: Rule[] }>('rules', { accumulate: [] });
    editor = (
      <>
        <Section title="Window" problems={of('delay')}>
          {d.error !== undefined ? unreadable('delay', d.error) : (
            <label className="rule-field"><span>Duration (s)</span>
              <NumberField testId="window-delay" label="window duration in seconds" value={d.value?.delaySeconds} placeholder="60 (the default)" invalid={of('delay').some((p) => p.field === 'delaySeconds')}
                onChange={(v) => write(node.name, 'delay', v === undefined ? undefined : { type: 'duration', ...d.value, delaySeconds: v })} />
            </label>
          )}
          {of('delay').filter((p) => p.field).map((p, i) => <small key={i} className="diag-error" data-testid="rule-problem">{p.message}</small>)}
        </Section>
        {r.error !== undefined ? unreadable('rules', r.error) : (
          <Section title="Accumulate (one output message per window)" problems={of('rules')}>
            <RuleList rules={Array.isArray(r.value.accumulate) ? r.value.accumulate : []} output mode="accumulate" problems={of('rules')} pathList={pathList} blank={BLANK.accumulate!}
              onChange={(accumulate) => write(node.name, 'rules', { ...r.value, accumulate })} />
          </Section>
        )}
      </>
    );
  } else if (kind === 'throttle') {
    const r = rulesOf<{ perTopicThrottles?: Throttle[] }>('throttle', { perTopicThrottles: [] });
    editor = r.error !== undefined ? unreadable('throttle', r.error) : (
      <Section title="Per-topic limits (first match wins)" problems={of('throttle')}>
        <ThrottleRows rows={Array.isArray(r.value.perTopicThrottles) ? r.value.perTopicThrottles : []} problems={of('throttle')}
          onChange={(perTopicThrottles) => write(node.name, 'throttle', { ...r.value, perTopicThrottles })} />
      </Section>
    );
  } else {
    editor = <div className="muted" data-testid="concatenate-note">Nothing to set: connect two or more paths into this node; their messages leave it unchanged, in arrival order.</div>;
  }

  return (
    <div className="panel-form builtin-panel" data-testid="builtin-panel" data-kind={kind}>
      <div className="definition-summary">
        <strong>{info.label}</strong>
        <span className="muted">{info.hint}</span>
        <code data-testid="transform-artifact">{node.graphSettings?.artifact}</code>
        <span className="muted">registry endpoint {node.graphSettings?.registryEndpointRef}</span>
      </div>
      {editor}
      <datalist id={pathList}>{inputPaths.map((p) => <option key={p} value={p} />)}</datalist>
      {enriched && <datalist id={`${pathList}-output`}>{[...paths, ...metadata].map((p) => <option key={p} value={p} />)}</datalist>}
      {enriched && <datalist id={sourceList}>{paths.map((p) => <option key={p} value={`$source.${p}`} />)}</datalist>}
      <RulePreview node={node.name} />
    </div>
  );
}
