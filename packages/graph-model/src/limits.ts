/**
 * Upper bounds on what one document may hold, enforced by the JSON schemas so
 * an oversized graph is refused (located, at the list that is too long) before
 * any rule or registry look-up runs over it. Generous: the reference's samples
 * have under 20 of each; a designer canvas becomes unusable long before these.
 */
export const LIMITS = {
  /** Graph definition `operations`. */
  operations: 1_000,
  /** Graph definition `connections` (a few per operation). */
  connections: 5_000,
  /** Graph definition `moduleConfigurations`, and parameters per operation. */
  moduleConfigurations: 1_000,
  parametersPerOperation: 1_000,
  /** Graph definition `schemas` and `moduleRequirements.features`. */
  schemas: 100,
  features: 100,
  /** DataflowGraph `spec.nodes` and `spec.nodeConnections`. */
  nodes: 1_000,
  nodeConnections: 5_000,
  /** Topics of one source node (`sourceSettings.dataSources`). */
  topicsPerSource: 1_000,
  /** Graph node `configuration` entries and destination `headers`. */
  configurationEntries: 1_000,
  headers: 100,
  /** A topic or topic filter: MQTT's own limit (a UTF-8 string of at most 65,535 bytes). */
  topicLength: 65_535,
  /** Names of operations and nodes: the Kubernetes DNS-1123 subdomain maximum. */
  nameLength: 253,
  /** References (endpointRef, artifact, a connection's `<node>.<output>`, hosts): OCI references stay far below. */
  referenceLength: 1_024,
  /** Labels and annotations of a resource. */
  metadataEntries: 1_000,
} as const;
