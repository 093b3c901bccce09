import { builtinArtifact, windowHasClosing, type RuleProblem } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { readJson, setArtifact, type Limit, type Rule, type Triggers } from './config.ts';
import { NumberField } from './NumberField.tsx';
import { RuleList } from './RuleList.tsx';
import { TriggerList } from './TriggerList.tsx';
import { LimitRow } from './WindowClosing.tsx';
import { Section, Unreadable } from './Section.tsx';
import { withTriggerRules } from './window.ts';
import { DatasetRows } from './DatasetRows.tsx';
import { datasetsOf, withDatasets } from './datasets.ts';

// Dataset problems ("dataset <n>: …") show under their row.
const isDatasetProblem = (p: RuleProblem) => /^dataset \d+[: ]/.test(p.message);

interface Props {
  node: string;
  artifact: string | undefined;
  version: string | undefined;
  config: Record<string, string>;
  problems: RuleProblem[];
  /** Datalist ids: field paths (`<id>-trigger`: trigger inputs, with `$metadata` and `$context`), dataset match inputs. */
  pathList: string;
  sourceList: string;
  /** Writes one configuration key as JSON (undefined removes it). */
  write(key: string, value: unknown): void;
}

const BLANK_ACCUMULATE: Rule = { inputs: [''], output: '', expression: '' };

/**
 * A window's panel: its version (1.0.0 offers the switch to 1.1.0), the
 * duration, at 1.1.0 the count, memory and trigger closing conditions, and
 * the accumulate rules. Each key is its own JSON string.
 */
export function WindowEditor({ node, artifact, version, config, problems, pathList, sourceList, write }: Props) {
  const of = (key: string) => problems.filter((p) => p.key === key);
  const d = readJson<{ type?: string; delaySeconds?: number } | undefined>(config.delay, undefined);
  const r = readJson<{ accumulate?: Rule[] }>(config.rules, { accumulate: [] });
  const t = readJson<Partial<Triggers> | undefined>(config.triggers, undefined);
  const triggers = t.value as Record<string, unknown> | undefined;
  const closing = windowHasClosing(version);
  const limit = (which: 'count' | 'memory') => {
    const l = readJson<Limit | undefined>(config[which], undefined);
    return l.error !== undefined ? <Unreadable configKey={which} error={l.error} /> : (
      <LimitRow which={which} value={l.value} problems={of(which).filter((p) => p.field)} onChange={(v) => write(which, v)} />
    );
  };
  const upgrade = () => useDataflow.getState().edit((text) => setArtifact(text, node, (artifact ?? '').replace(/:1\.0\.0$/, ':1.1.0') || builtinArtifact('window', '1.1.0')));
  return (
    <>
      <div className="window-version" data-testid="window-version">
        <span className="muted">Version {version ?? '(by digest)'}{closing ? ': closed by duration, message count, buffer size or triggers' : ': closed by duration only'}</span>
        {!closing && <button data-testid="window-upgrade" title="graph-dataflow-window:1.1.0 adds count, memory and trigger closing; the configuration is kept" onClick={upgrade}>Switch to 1.1.0</button>}
      </div>
      {!closing && (['count', 'memory', 'triggers'] as const).flatMap((k) => of(k)).map((p, i) => <div key={i} className="diag diag-warning" data-testid="config-warning">{p.message}</div>)}
      <Section title="Window" problems={of('delay')}>
        {d.error !== undefined ? <Unreadable configKey="delay" error={d.error} /> : (
          <label className="rule-field"><span>Duration (s)</span>
            <NumberField testId="window-delay" label="window duration in seconds" value={d.value?.delaySeconds} placeholder="60 (the default)" invalid={of('delay').some((p) => p.field === 'delaySeconds')}
              onChange={(v) => write('delay', v === undefined ? undefined : { type: 'duration', ...d.value, delaySeconds: v })} />
          </label>
        )}
        {of('delay').filter((p) => p.field).map((p, i) => <small key={i} className="diag-error" data-testid="rule-problem">{p.message}</small>)}
      </Section>
      {closing && (
        <Section title="Close early (memory, then count, then triggers: the first that fires)" problems={[...of('count'), ...of('memory')]}>
          {limit('count')}
          {limit('memory')}
        </Section>
      )}
      {closing && (t.error !== undefined ? <Unreadable configKey="triggers" error={t.error} /> : (
        <Section title="Triggers (the first true one closes the window)" problems={of('triggers').filter((p) => !isDatasetProblem(p))}>
          <TriggerList rules={Array.isArray(t.value?.rules) ? t.value.rules : []} problems={of('triggers')} pathList={`${pathList}-trigger`}
            onChange={(rules) => write('triggers', withTriggerRules(t.value, rules))} />
          {t.value && (
            <>
              <div className="field-label">Trigger enrichment datasets</div>
              <DatasetRows datasets={datasetsOf(triggers)} problems={of('triggers')} sourceList={sourceList}
                onChange={(datasets) => write('triggers', withDatasets(triggers!, datasets))} />
            </>
          )}
        </Section>
      ))}
      {r.error !== undefined ? <Unreadable configKey="rules" error={r.error} /> : (
        <Section title="Accumulate (one output message per window)" problems={of('rules')}>
          <RuleList rules={Array.isArray(r.value.accumulate) ? r.value.accumulate : []} output mode="accumulate" problems={of('rules')} pathList={pathList} blank={BLANK_ACCUMULATE}
            onChange={(accumulate) => write('rules', { ...r.value, accumulate })} />
        </Section>
      )}
    </>
  );
}
