import { useState } from 'react';
import { buildInjectMessage, defaultInjectTopic, type InjectForm as Form } from './inject.ts';
import { usePreview } from './store.ts';

/** Sends a test message into the source of the running preview: topic, payload (text/JSON or base64), user properties. */
export function InjectForm() {
  const running = usePreview((s) => s.status === 'running');
  const injection = usePreview((s) => s.injection);
  const [form, setForm] = useState<Form>(() => ({
    topic: defaultInjectTopic(usePreview.getState().topics),
    payload: '{"temperature":{"value":212,"unit":"F"}}',
    encoding: 'text',
    properties: '',
  }));
  const [problem, setProblem] = useState<string>();
  const change = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const send = () => {
    const built = buildInjectMessage(form);
    if ('problem' in built) return setProblem(built.problem);
    setProblem(undefined);
    usePreview.getState().inject(built.message);
  };
  const shown = problem ?? (injection?.status === 'failed' ? injection.problem : undefined);
  return (
    <div className="inject-form" data-testid="inject-form">
      <h5>Inject at the source</h5>
      <div className="row">
        <input data-testid="inject-topic" aria-label="topic" placeholder="topic, e.g. sensor/temperature/raw" value={form.topic} onChange={(e) => change({ topic: e.target.value })} />
        <select data-testid="inject-encoding" aria-label="payload encoding" value={form.encoding} onChange={(e) => change({ encoding: e.target.value as Form['encoding'] })}>
          <option value="text">text / JSON</option>
          <option value="base64">base64</option>
        </select>
      </div>
      <textarea data-testid="inject-payload" aria-label="payload" rows={3} value={form.payload} onChange={(e) => change({ payload: e.target.value })} />
      <textarea data-testid="inject-properties" aria-label="user properties" rows={1} placeholder="user properties: key=value, one per line" value={form.properties} onChange={(e) => change({ properties: e.target.value })} />
      <div className="row">
        <button data-testid="inject-send" onClick={send} title={running ? undefined : 'start the preview first'}>Inject</button>
        {!shown && injection?.status === 'sending' && <span className="muted" data-testid="inject-status">sending…</span>}
        {!shown && injection?.status === 'sent' && <span className="muted" data-testid="inject-status">sent</span>}
        {shown && <span className="diag diag-error" data-testid="inject-problem">{shown}</span>}
        {!running && !shown && <span className="muted">start the preview to inject</span>}
      </div>
    </div>
  );
}
