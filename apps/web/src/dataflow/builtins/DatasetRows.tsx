import type { RuleProblem } from '@wgs/graph-model';
import { ExpressionInput } from './ExpressionInput.tsx';
import { BLANK_DATASET, datasetProblems, joinKey, splitKey, type Dataset } from './datasets.ts';
import { removed, replaced } from './lists.ts';

interface Props {
  datasets: Dataset[];
  /** The rules value's problems; a dataset's are numbered "dataset <n>: …". */
  problems: RuleProblem[];
  /** id of the datalist of match inputs (`$source.<f>`). */
  sourceList: string;
  onChange(datasets: Dataset[]): void;
}

/**
 * Enrichment (reference §4): each row reads one state-store key; the match
 * inputs ($1, $2, …) and the match expression pick the record that rules
 * read as `$context(<alias>).<field>`.
 */
export function DatasetRows({ datasets, problems, sourceList, onChange }: Props) {
  return (
    <div className="rule-list" data-testid="dataset-list">
      {datasets.length === 0 && <div className="muted">No datasets: rules read only the message.</div>}
      {datasets.map((d, i) => {
        const { storeKey, alias } = splitKey(typeof d.key === 'string' ? d.key : '');
        const inputs = Array.isArray(d.inputs) ? d.inputs : [];
        const mine = datasetProblems(problems, i);
        const set = (patch: Partial<Dataset>) => onChange(replaced(datasets, i, { ...d, ...patch }));
        return (
          <fieldset key={i} className={`config-section rule${mine.length ? ' has-error' : ''}`} data-testid="dataset" data-index={i}>
            <legend>
              Dataset {i + 1}
              <button className="icon danger" title="remove this dataset" aria-label={`remove dataset ${i + 1}`} data-testid="dataset-remove" onClick={() => onChange(removed(datasets, i))}>✕</button>
            </legend>
            <label className="rule-field"><span>State store key</span>
              <input data-testid="dataset-key" value={storeKey} placeholder="assets" onChange={(e) => set({ key: joinKey(e.target.value, alias) })} />
            </label>
            <label className="rule-field"><span>As (alias)</span>
              <input data-testid="dataset-alias" value={alias} placeholder="optional: the name in $context(…)" onChange={(e) => set({ key: joinKey(storeKey, e.target.value) })} />
            </label>
            <div className="rule-field"><span>Match inputs</span>
              <div className="rows">
                {inputs.map((v, j) => (
                  <div className="row" key={j}>
                    <code className="muted" title={`the match expression reads this input as $${j + 1}`}>${j + 1}</code>
                    <input data-testid="dataset-input" aria-label={`dataset ${i + 1} match input ${j + 1}`} list={sourceList} value={v} placeholder="$source.deviceId or $context.id"
                      onChange={(e) => set({ inputs: inputs.map((x, k) => (k === j ? e.target.value : x)) })} />
                    <button aria-label={`remove match input ${j + 1}`} onClick={() => set({ inputs: inputs.filter((_, k) => k !== j) })}>−</button>
                  </div>
                ))}
                <button data-testid="dataset-add-input" onClick={() => set({ inputs: [...inputs, ''] })}>+ Input</button>
              </div>
            </div>
            <div className="rule-field"><span>Match expression</span>
              <ExpressionInput value={typeof d.expression === 'string' ? d.expression : ''} mode="row" invalid={mine.length > 0} testId="dataset-expression" onChange={(expression) => set({ expression })} />
            </div>
            {mine.map((p, j) => <small key={j} className="diag-error" data-testid="dataset-problem">{p.message}</small>)}
          </fieldset>
        );
      })}
      <button data-testid="add-dataset" onClick={() => onChange([...datasets, BLANK_DATASET])}>+ Dataset</button>
    </div>
  );
}
