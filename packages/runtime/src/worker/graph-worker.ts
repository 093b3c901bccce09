/** Worker thread entry: runs one graph session and answers the runner. */
import { parentPort, workerData } from 'node:worker_threads';
import { setMemoryLimit } from '../components/component-cache.ts';
import { CallWatch } from '../engine/call-watch.ts';
import type { EngineEvent } from '../engine/graph-engine.ts';
import { GraphSession, type SessionOutput } from '../engine/session.ts';
import { layoutResolverFor } from '../module-resolver.ts';
import { Sampler } from '../preview/sampler.ts';
import type { ConnectorMessage } from '@wgs/connectors';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import { ownArrays, packOutputs, unpackMessages } from './wire.ts';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
let session: GraphSession | undefined;
let outputs: SessionOutput[] = [];
let observed: EngineEvent[] = [];
let stateRevision = -1;
let metricsSentAt = 0;
let calls: CallWatch;

async function start(init: WorkerInit): Promise<void> {
  try {
    setMemoryLimit(init.memoryLimitBytes);
    session = await GraphSession.start({
      graph: init.graph,
      resolver: layoutResolverFor(init.registryDir, init.baseDir, init.operationRegistryDirs),
      configuration: init.configuration,
      operationConfiguration: init.operationConfiguration,
      stateSeed: init.stateSeed,
      schemas: init.schemas,
      operationModuleSchemas: init.operationModuleSchemas,
      payloadPassing: init.payloadPassing,
      latenessMs: init.latenessMs,
      calls: (calls = new CallWatch(init.calls)),
      observe: init.sampleRate > 0 ? observer(new Sampler(init.sampleRate)) : undefined,
    }, {
      onOutput: (o) => outputs.push(o),
      onError: (event) => post({ type: 'error', event: { ...event, item: undefined } }),
      onLog: (record) => post({ type: 'log', record }),
    });
    post({ type: 'ready' });
  } catch (e) {
    post({ type: 'init-error', message: (e as Error).message });
  }
}

function done(seq: number, withMetrics: boolean, error?: string): void {
  const s = session!;
  const revision = s.stateStore.revision;
  const state = revision !== stateRevision ? s.stateStore.snapshot() : undefined;
  stateRevision = revision;
  if (observed.length) {
    post({ type: 'observe', events: observed });
    observed = [];
  }
  const now = Date.now();
  const metricValues = now - metricsSentAt >= 1000 ? s.metrics.toJSON().counters : undefined;
  if (metricValues) metricsSentAt = now;
  const wire = packOutputs(outputs);
  outputs = [];
  port.postMessage({ type: 'done', seq, outputs: wire.outputs, bytes: wire.buffer, error, status: { counters: [...s.counters], state, metrics: withMetrics ? s.metrics.toPrometheus() : undefined, metricValues, openItems: s.openItems } } satisfies FromWorker, [wire.buffer]);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    void start(m.init);
    return;
  }
  const s = session;
  // The runner posts nothing before 'ready'; this guards against a future mistake turning into a crash.
  if (!s) {
    post({ type: 'done', seq: m.seq, outputs: [], bytes: new ArrayBuffer(0), error: 'graph worker not ready', status: { counters: [], openItems: 0 } });
    return;
  }
  const work = m.type === 'ingest' ? ingestAll(s, unpackMessages(m.messages, m.payloads))
    : m.type === 'inject' ? s.inject(m.operation, m.message)
      : m.type === 'tick' ? s.tick(m.now)
        : m.type === 'drain' ? s.drain()
          : Promise.resolve();
  const withMetrics = m.type !== 'ingest' && m.type !== 'inject';
  work.then(() => done(m.seq, withMetrics), (e: Error) => done(m.seq, withMetrics, e.message));
});

/** Keeps the sampled events; items cross to the main thread only when sampled. */
function observer(sampler: Sampler): (e: EngineEvent) => void {
  return (e) => {
    // Items may view a whole batch's buffer (wire.ts): a sample carries only its own bytes.
    if (sampler.accept(e)) observed.push(e.item ? { ...e, item: ownArrays(e.item) } as EngineEvent : e);
  };
}

/** Processes a batch; the call watch records which message is current. */
async function ingestAll(s: GraphSession, messages: ConnectorMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i++) {
    calls.times[2] = i;
    await s.ingest(messages[i]!);
  }
}

if (workerData?.init) void start(workerData.init as WorkerInit);
