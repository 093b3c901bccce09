import { Type, type Static } from '@sinclair/typebox';

/** A message a preview client injects or the simulator sends. */
export const PreviewMessage = Type.Object({
  topic: Type.String({ maxLength: 1024 }),
  /** UTF-8 text, or base64 when `encoding` is base64. */
  payload: Type.String(),
  encoding: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('base64')])),
  userProperties: Type.Optional(Type.Array(Type.Tuple([Type.String(), Type.String()]), { maxItems: 64 })),
  contentType: Type.Optional(Type.String()),
});
export type PreviewMessage = Static<typeof PreviewMessage>;

/** Starts a preview of one graph definition (replacing the connection's running one). */
export const PreviewStartGraph = Type.Object({
  type: Type.Literal('start'),
  /** A graph definition (YAML); saved or not. */
  graph: Type.String({ maxLength: 1_000_000 }),
  /** Mutually exclusive with `graph`. */
  dataflow: Type.Optional(Type.Never()),
  configuration: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Topic filters on the source endpoint. */
  sources: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 32 }),
  /** The DataflowEndpoint to read from (default: `default`, the embedded broker). */
  endpoint: Type.Optional(Type.String({ minLength: 1 })),
  /** Replay this many recent source messages of the previous session into the new one. */
  replay: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  /** A live run: outputs are also published to this destination topic. Without it nothing is written. */
  liveRun: Type.Optional(Type.Object({ destination: Type.String({ minLength: 1, maxLength: 1024 }) })),
});
export type PreviewStartGraph = Static<typeof PreviewStartGraph>;

/**
 * Starts a preview of a whole DataflowGraph: `{"type":"start","dataflow":"<the
 * DataflowGraph manifest YAML>"}`, saved or not. The server fetches each Graph
 * node's definition through its registryEndpointRef, flattens the data flow
 * into one graph and runs it on the Source nodes' topics (`dataSources`) on
 * their endpoint (all Source nodes must name the same one). Operations, and so
 * the keys of `counters`, samples, errors, logs, `inspect` and `inject`, are
 * named `<graphNode>/<operation>` (e.g. `convert/map`; `convert/source` counts
 * what entered the node, `<node>/<sinkName>` what left it through that output,
 * e.g. `split/output.true`), plus the Source node's name for the source (several
 * joined by `+`) and each Destination node's name for its sink. Nothing is
 * written to a destination unless `liveRun` is true.
 */
export const PreviewStartDataflow = Type.Object({
  type: Type.Literal('start'),
  dataflow: Type.String({ maxLength: 1_000_000 }),
  /** Mutually exclusive with `dataflow`. */
  graph: Type.Optional(Type.Never()),
  replay: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  /** A live run: each Destination node's outputs are also published to its `dataDestination` on its endpoint. Without it nothing is written. */
  liveRun: Type.Optional(Type.Boolean()),
});
export type PreviewStartDataflow = Static<typeof PreviewStartDataflow>;

/** A data flow preview's operation names: `<graphNode>/<operation>`; `nodeOfOperation` gives the node. */
export { compositeOperationName, nodeOfOperation, OPERATION_SEPARATOR as DATAFLOW_OPERATION_SEPARATOR } from '@wgs/graph-model';

/** Browser → server over the preview WebSocket. */
export const PreviewClientMessage = Type.Union([
  PreviewStartGraph,
  PreviewStartDataflow,
  Type.Object({ type: Type.Literal('stop') }),
  Type.Object({ type: Type.Literal('pause') }),
  Type.Object({ type: Type.Literal('resume') }),
  Type.Object({ type: Type.Literal('clear') }),
  Type.Object({
    type: Type.Literal('inject'),
    operation: Type.Optional(Type.String()),
    message: PreviewMessage,
    /** Chosen by the client: the `injected` answer, or the `error` when it fails, carries it back. */
    id: Type.Optional(Type.String({ maxLength: 64 })),
  }),
  Type.Object({ type: Type.Literal('replay'), count: Type.Integer({ minimum: 1, maximum: 1000 }) }),
  Type.Object({ type: Type.Literal('inspect'), operation: Type.String() }),
  /** Nothing but activity: a session ends after `previewIdleMs` without a client message; an open, visible page keeps it with this. */
  Type.Object({ type: Type.Literal('ping') }),
]);
export type PreviewClientMessage = Static<typeof PreviewClientMessage>;

/** An operator error in an update: identical ones (operation, message, trap) of one update are one entry, `count` of them, `at` the latest. */
export interface PreviewErrorEntry {
  operation: string;
  message: string;
  trap: boolean;
  at: number;
  count: number;
}

/**
 * What a client was not sent since the session (or its last clear) started:
 * samples and logs dropped while it did not read (its socket's buffer over
 * the server's cap) or over the per-update bounds, and errors beyond the
 * distinct entries an update carries. The counters are exact regardless.
 */
export interface PreviewUnsent {
  samples: number;
  logs: number;
  errors: number;
}

/** Whether the preview's graph runs, restarts after a fault (and how often a restart failed), and the source endpoint's connection. */
export interface PreviewHealth {
  graph: { state: 'running' | 'restarting' | 'stopped'; restarts: number; failedRestarts: number; lastError?: string };
  source?: { connected: boolean; disconnects: number; reconnects: number; lastError?: string };
}

/** Server → browser. `update` carries counters and samples (see the runtime's PreviewUpdate). */
export type PreviewServerMessage =
  | { type: 'started'; operations: string[] }
  | { type: 'stopped'; reason: string }
  | { type: 'update'; counters: Record<string, { in: number; out: number; dropped: number; errors: number }>; samples: unknown[]; errors: PreviewErrorEntry[]; logs: unknown[]; skippedWhilePaused: number; paused: boolean; metrics?: { name: string; labels: Record<string, string>; value: number }[]; unsent?: PreviewUnsent; health?: PreviewHealth }
  | { type: 'inspect'; operation: string; samples: unknown[] }
  /** An injected message was accepted into the graph. */
  | { type: 'injected'; id?: string }
  /** `id` is the failed command's, when it had one (injections). */
  | { type: 'error'; code: string; message: string; where?: unknown[]; id?: string };
