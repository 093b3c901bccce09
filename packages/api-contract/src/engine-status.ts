import { Type, type Static } from '@sinclair/typebox';

export const GraphCounters = Type.Object({
  messagesIn: Type.Integer(),
  messagesOut: Type.Integer(),
  dropped: Type.Integer(),
  errors: Type.Integer(),
});
export type GraphCounters = Static<typeof GraphCounters>;

/**
 * A deployed graph's live state as the designer shows it, read from the
 * cluster's `status` (written by the engine) and `metadata.generation`.
 */
export const LiveStatus = Type.Object({
  /** absent: no engine has written a health state yet. */
  health: Type.Optional(Type.String()),
  reasonCode: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastUpdateTime: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  observedGeneration: Type.Optional(Type.Integer()),
  /** The engine has seen the current generation (observedGeneration ≥ generation). */
  caughtUp: Type.Boolean(),
  counters: Type.Optional(GraphCounters),
  artifactDigest: Type.Optional(Type.String()),
  /** The engine pod that wrote the status. */
  pod: Type.Optional(Type.String()),
});
export type LiveStatus = Static<typeof LiveStatus>;
