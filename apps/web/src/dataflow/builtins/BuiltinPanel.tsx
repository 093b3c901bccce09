import { useMemo, type ReactNode } from 'react';
import { builtinVersionOf, checkBuiltinConfiguration, type BuiltinKind, type GraphNode } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { usePreview } from '../../preview/store.ts';
import { configOf, readJson, setConfigJson, setConfigString, type Rule, type Throttle } from './config.ts';
import { FilterSchema } from './FilterSchema.tsx';
import { WindowEditor } from './WindowEditor.tsx';
import { Section, Unreadable } from './Section.tsx';
import { fieldPaths, metadataPaths } from './completion.ts';
import { RuleList } from './RuleList.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { ThrottleRows } from './ThrottleRows.tsx';
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

/** The filter's `schemaRef` is a plain string parameter, not JSON. */
function writeString(node: string, key: string, value: string) {
  useDataflow.getState().editField(`builtin:${node}:${key}`, (text) => setConfigString(text, node, key, value));
}

const BLANK: Record<string, Rule> = {
  map: { inputs: [''], output: '' },
  filter: { inputs: [''], expression: '' },
};

/** The side panel of a built-in transform: rule editors instead of the generic configuration form. */
export function BuiltinPanel({ node, kind }: { node: GraphNode; kind: BuiltinKind }) {
  const config = configOf(node);
  // Keyed by the text: configOf gives a new object each render.
  const configText = JSON.stringify(config);
  const artifact = node.graphSettings?.artifact;
  const version = builtinVersionOf(artifact);
  const problems = useMemo(() => checkBuiltinConfiguration(kind, JSON.parse(configText) as Record<string, string>, version), [kind, configText, version]);
  const resource = useDataflow((s) => s.value);
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
  // Window triggers read what filter rules read: fields, $metadata and their own datasets' $context(<alias>).
  const triggersValue = kind === 'window' ? readJson<Record<string, unknown> | undefined>(config.triggers, undefined).value : undefined;
  const triggerInputs = kind === 'window' ? [...contextInputs(datasetsOf(triggersValue)), ...paths, ...metadata] : [];
  const datasetsEditor = (value: Record<string, unknown>) => (
    <Section title="Enrichment datasets" problems={[]}>
      <DatasetRows datasets={datasetsOf(value)} problems={of('rules')} sourceList={sourceList}
        onChange={(datasets) => write(node.name, 'rules', withDatasets(value, datasets))} />
    </Section>
  );
  const info = BUILTIN_INFO[kind];

  const rulesOf = <T,>(key: string, fallback: T) => readJson<T>(config[key], fallback);
  const unreadable = (key: string, error: string) => <Unreadable configKey={key} error={error} />;

  let editor: ReactNode;
  if (kind === 'map' || kind === 'filter') {
    const listKey = kind;
    const r = rulesOf<Record<string, unknown>>('rules', { [listKey]: [] });
    const validating = kind === 'filter' && r.value?.validateSchema === true;
    editor = r.error !== undefined ? unreadable('rules', r.error) : (
      <>
        {kind === 'filter' && (
          <Section title="Schema" problems={[]}>
            <label className="check-field">
              <input type="checkbox" data-testid="filter-validate-schema" checked={validating}
                onChange={(e) => {
                  const { validateSchema: _off, ...rest } = r.value;
                  write(node.name, 'rules', e.target.checked ? { ...r.value, validateSchema: true } : rest);
                }} />
              Validate: drop messages that do not conform to the schema (before the rules)
            </label>
            {(validating || config.schemaRef !== undefined) && (
              <FilterSchema resource={resource} node={node.name} configured={config.schemaRef} problems={of('schemaRef')} onChange={(v) => writeString(node.name, 'schemaRef', v)} />
            )}
          </Section>
        )}
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
    editor = <WindowEditor node={node.name} artifact={artifact} version={version} config={config} problems={problems} pathList={pathList} sourceList={sourceList}
      write={(key, value) => write(node.name, key, value)} />;
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
      {(enriched || kind === 'window') && <datalist id={sourceList}>{paths.map((p) => <option key={p} value={`$source.${p}`} />)}</datalist>}
      {kind === 'window' && <datalist id={`${pathList}-trigger`}>{triggerInputs.map((p) => <option key={p} value={p} />)}</datalist>}
      <RulePreview node={node.name} />
    </div>
  );
}
