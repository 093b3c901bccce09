import { Type, type Static } from '@sinclair/typebox';
import { KIND_PLURALS } from '@wgs/graph-model';
import { Where } from './errors.ts';
import { LiveStatus } from './engine-status.ts';

type KindPlurals = typeof KIND_PLURALS;

/** The resource kinds the API manages, by their Kubernetes plural (the inverse of graph-model's KIND_PLURALS). */
export const RESOURCE_PLURALS = Object.fromEntries(Object.entries(KIND_PLURALS).map(([kind, plural]) => [plural, kind])) as {
  [K in keyof KindPlurals as KindPlurals[K]]: K;
};
export type ResourcePlural = keyof typeof RESOURCE_PLURALS;

export const Metadata = Type.Object({
  name: Type.String(),
  namespace: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  creationTimestamp: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
}, { additionalProperties: true });

/** A custom resource as Kubernetes stores it; the spec is validated per kind by the server. */
export const Resource = Type.Object({
  apiVersion: Type.String(),
  kind: Type.String(),
  metadata: Metadata,
  spec: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { additionalProperties: true });
export type Resource = Static<typeof Resource>;

export const ResourceList = Type.Object({
  items: Type.Array(Resource),
  /** Where they are kept: the cluster or the embedded store. */
  store: Type.String(),
});
export type ResourceList = Static<typeof ResourceList>;

export const ValidationResult = Type.Object({
  valid: Type.Boolean(),
  diagnostics: Type.Array(Where),
});
export type ValidationResult = Static<typeof ValidationResult>;

export const Change = Type.Object({
  path: Type.String(),
  kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
});

/** A Graph node whose artifact lives where a cluster cannot pull from (the embedded registry). */
export const UnpullableArtifact = Type.Object({
  node: Type.String(),
  registryEndpoint: Type.String(),
  artifact: Type.String(),
  reason: Type.String(),
});
export type UnpullableArtifact = Static<typeof UnpullableArtifact>;

/** What a deploy would change in the cluster, or did change. */
export const DeployPlan = Type.Object({
  name: Type.String(),
  target: Type.String(),
  changes: Type.Array(Change),
  /** The cluster's resourceVersion the plan was made against (absent: not in the cluster). */
  clusterResourceVersion: Type.Optional(Type.String()),
  applied: Type.Boolean(),
  resource: Type.Optional(Resource),
  /** Graph nodes whose artifact a cluster cannot pull (the embedded registry): copy them first. */
  unpullable: Type.Optional(Type.Array(UnpullableArtifact)),
  /** RegistryEndpoints the artifacts can be copied to (every one that is not embedded). */
  copyTargets: Type.Optional(Type.Array(Type.String())),
  /** What deserves a look before applying (e.g. a stateful graph in a profile of several instances). */
  warnings: Type.Optional(Type.Array(Where)),
});
export type DeployPlan = Static<typeof DeployPlan>;

export const DeployRequest = Type.Object({
  /** The draft to deploy; omitted: the saved copy. */
  draft: Type.Optional(Resource),
  /** Apply only if the cluster still holds this version (from the plan). */
  expectedClusterResourceVersion: Type.Optional(Type.String()),
  /** false: only plan (show the diff). */
  apply: Type.Boolean({ default: false }),
});
export type DeployRequest = Static<typeof DeployRequest>;

export const GraphDefinitionRequest = Type.Object({
  yaml: Type.String({ maxLength: 1_000_000 }),
});

/** One DataflowGraph in the graph list: saved, deployed, or both. */
export const GraphOverviewItem = Type.Object({
  name: Type.String(),
  saved: Type.Boolean(),
  deployed: Type.Boolean(),
  mode: Type.String(),
  /** spec.profileRef (the list's search finds graphs by it). */
  profile: Type.Optional(Type.String()),
  /** The graph artifacts its transforms run. */
  artifacts: Type.Array(Type.String()),
  /** The cluster's health state, when it reports one. */
  health: Type.Optional(Type.String()),
  /** What the engine reports (health, reason, generations, counters); only for deployed graphs. */
  live: Type.Optional(LiveStatus),
  resourceVersion: Type.Optional(Type.String()),
  clusterResourceVersion: Type.Optional(Type.String()),
  /** Saved draft and cluster copy differ (only when they are kept apart). */
  differsFromCluster: Type.Optional(Type.Boolean()),
});
export type GraphOverviewItem = Static<typeof GraphOverviewItem>;

export const GraphOverview = Type.Object({
  items: Type.Array(GraphOverviewItem),
  store: Type.String(),
  cluster: Type.Union([Type.String(), Type.Null()]),
  /** Saving is deploying: graphs are kept in the cluster itself. */
  storeIsCluster: Type.Boolean(),
  clusterProblem: Type.Optional(Type.String()),
});
export type GraphOverview = Static<typeof GraphOverview>;

/** What the cluster holds for a graph. */
export const DeploymentStatus = Type.Object({
  deployed: Type.Boolean(),
  target: Type.String(),
  resourceVersion: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  status: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  resource: Type.Optional(Resource),
  /** The status read for the designer; absent when not deployed. */
  live: Type.Optional(LiveStatus),
});
export type DeploymentStatus = Static<typeof DeploymentStatus>;

/** GET /api/info: where things are kept, and what the preview may rely on. */
export const ServerInfo = Type.Object({
  store: Type.String(),
  cluster: Type.Union([Type.String(), Type.Null()]),
  storeIsCluster: Type.Boolean(),
  namespace: Type.String(),
  broker: Type.Union([Type.String(), Type.Null()]),
  /** A preview session ends after this long without a message from its page. */
  previewIdleMs: Type.Integer({ minimum: 1 }),
  /** Topics the built-in sensor simulator publishes on the embedded broker (empty when it is off). */
  simulatorTopics: Type.Array(Type.String()),
});
export type ServerInfo = Static<typeof ServerInfo>;
