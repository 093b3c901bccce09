import { usePreview } from '../../preview/store.ts';
import type { Sample } from '../../preview/messages.ts';
import { ofNode } from './completion.ts';

/** The newest sample among the operations `<node>/<op>` whose op and event pass `pick`. */
export function latest(samples: Record<string, Sample[]>, node: string, pick: (op: string, event: Sample['event']) => boolean): Sample | undefined {
  let best: Sample | undefined;
  for (const [name, list] of Object.entries(samples)) {
    if (!ofNode(name, node)) continue;
    const op = name.slice(node.length + 1);
    for (const s of list) if (pick(op, s.event) && (!best || s.seq > best.seq)) best = s;
  }
  return best;
}

/** What entered the node: its graph's source operation. */
export const nodeInput = (samples: Record<string, Sample[]>, node: string) => latest(samples, node, (op) => op === 'source');
/** What left it (at its graph's sinks: `sink`, a branch's `output.true` / `output.false`), or its last drop, whichever is newer. */
export const nodeOutput = (samples: Record<string, Sample[]>, node: string) =>
  latest(samples, node, (op, event) => event === 'drop' || (event === 'in' && (op === 'sink' || op.startsWith('output.'))));

function show(s: Sample): string {
  if (s.item.encoding === 'base64') return `(${s.item.size ?? '?'} bytes, binary)`;
  try {
    return JSON.stringify(JSON.parse(s.item.data), null, 1);
  } catch {
    return s.item.data;
  }
}

/** Under the rule editor: what the node received last and what it sent (or dropped, and why), from the running preview. */
export function RulePreview({ node }: { node: string }) {
  const samples = usePreview((s) => s.samples);
  const input = nodeInput(samples, node);
  const output = nodeOutput(samples, node);
  if (!input && !output) return null;
  return (
    <div className="builtin-section rule-preview" data-testid="rule-preview">
      <div className="field-label">Preview (latest)</div>
      <div className="rule-preview-pair">
        <div><span className="muted">input{input?.item.topic ? ` · ${input.item.topic}` : ''}</span><pre data-testid="rule-preview-in">{input ? show(input) : '—'}</pre></div>
        <div><span className="muted">{output?.event === 'drop' ? 'dropped' : `output${output?.operation.includes('/output.') ? ` · ${output.operation.split('/output.')[1]}` : ''}${output?.item.topic ? ` · ${output.item.topic}` : ''}`}</span>
          <pre data-testid="rule-preview-out">{output ? (output.event === 'drop' ? output.reason ?? 'dropped' : show(output)) : '—'}</pre></div>
      </div>
    </div>
  );
}
