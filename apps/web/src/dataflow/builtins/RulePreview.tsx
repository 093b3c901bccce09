import { usePreview } from '../../preview/store.ts';
import type { Sample } from '../../preview/messages.ts';
import { ofNode } from './completion.ts';

/** The newest sample of `event` among the node's operations (`<node>/<op>` in a data-flow preview). */
export function latest(samples: Record<string, Sample[]>, node: string, events: Sample['event'][]): Sample | undefined {
  let best: Sample | undefined;
  for (const [op, list] of Object.entries(samples)) {
    if (!ofNode(op, node)) continue;
    for (const s of list) if (events.includes(s.event) && (!best || s.seq > best.seq)) best = s;
  }
  return best;
}

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
  const input = latest(samples, node, ['in']);
  const output = latest(samples, node, ['out', 'drop']);
  if (!input && !output) return null;
  return (
    <div className="builtin-section rule-preview" data-testid="rule-preview">
      <div className="field-label">Preview (latest)</div>
      <div className="rule-preview-pair">
        <div><span className="muted">input{input?.item.topic ? ` · ${input.item.topic}` : ''}</span><pre data-testid="rule-preview-in">{input ? show(input) : '—'}</pre></div>
        <div><span className="muted">{output?.event === 'drop' ? 'dropped' : `output${output?.arm ? ` · ${output.arm.toLowerCase()}` : ''}${output?.item.topic ? ` · ${output.item.topic}` : ''}`}</span>
          <pre data-testid="rule-preview-out">{output ? (output.event === 'drop' ? output.reason ?? 'dropped' : show(output)) : '—'}</pre></div>
      </div>
    </div>
  );
}
