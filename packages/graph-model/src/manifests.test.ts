import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics.ts';
import { parseManifests, SUPPORTED_KINDS, validateResource } from './manifests.ts';
import { topicMatches, type ResourceContext } from './resource-rules.ts';
import type { DataflowEndpointResource, EndpointType, RegistryEndpointResource } from './resources.ts';

/** The minimal manifest of reference §4.2, verbatim (24 lines). */
const MINIMAL = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: temp-converter, namespace: azure-iot-operations }
spec:
  profileRef: default
  mode: Enabled
  requestDiskPersistence: Disabled
  nodes:
    - nodeType: Source
      name: temperature-source
      sourceSettings: { endpointRef: default, dataSources: [sensor/temperature/raw] }
    - nodeType: Graph
      name: temperature-processor
      graphSettings:
        registryEndpointRef: public-ghcr
        artifact: graph-simple:1.0.0            # or azure-samples/explore-iot-operations/graph-simple:1.0.0 when host is just ghcr.io
        configuration:
          - { key: key1, value: example-value }
    - nodeType: Destination
      name: temperature-destination
      destinationSettings: { endpointRef: default, dataDestination: sensor/temperature/processed }
  nodeConnections:
    - { from: { name: temperature-source }, to: { name: temperature-processor } }
    - { from: { name: temperature-processor }, to: { name: temperature-destination } }
`;

const API = 'connectivity.iotoperations.azure.com/v1';

function endpoint(name: string, endpointType: EndpointType, spec: Record<string, unknown> = {}): DataflowEndpointResource {
  return { apiVersion: API, kind: 'DataflowEndpoint', metadata: { name }, spec: { endpointType, ...spec } };
}

function registry(name: string, host: string): RegistryEndpointResource {
  return { apiVersion: API, kind: 'RegistryEndpoint', metadata: { name }, spec: { host, authentication: { method: 'Anonymous' } } };
}

// One-line nodes and connections for hand-built graphs. With the default names:
//   source line: name value at col 33, endpointRef value at col 69
//   graph line:  name value at col 32, artifact value at col 91
//   destination line: name value at col 38, endpointRef at col 79, dataDestination at col 102
//   connection `    - { from: { name: X }, to: { name: Y } }`: X at col 23, Y at col 23 + len(X) + 16
const src = (name = 'src', endpointRef = 'mqtt', topics = '[in/#]') =>
  `    - { nodeType: Source, name: ${name}, sourceSettings: { endpointRef: ${endpointRef}, dataSources: ${topics} } }`;
const proc = (name = 'proc', artifact = 'graph-simple:1.0.0') =>
  `    - { nodeType: Graph, name: ${name}, graphSettings: { registryEndpointRef: reg, artifact: ${artifact} } }`;
const dst = (name = 'dst', endpointRef = 'mqtt', topic = 'out/x') =>
  `    - { nodeType: Destination, name: ${name}, destinationSettings: { endpointRef: ${endpointRef}, dataDestination: ${topic} } }`;
const edge = (from: string, to: string) => `    - { from: { name: ${from} }, to: { name: ${to} } }`;

/** Nodes start at line 6; `nodeConnections:` follows them, then one connection per line. */
function dataflowGraph(nodes: string[], connections: string[]): string {
  return [`apiVersion: ${API}`, 'kind: DataflowGraph', 'metadata: { name: g }', 'spec:', '  nodes:', ...nodes, '  nodeConnections:', ...connections].join('\n') + '\n';
}

/** Diagnostics of a single-document manifest. */
function check(text: string, ctx?: ResourceContext): Diagnostic[] {
  const docs = parseManifests(text, ctx);
  expect(docs).toHaveLength(1);
  return docs[0]!.diagnostics;
}

const VALID = dataflowGraph([src(), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
const CONTEXT: ResourceContext = { endpoints: [endpoint('mqtt', 'Mqtt')], registryEndpoints: [registry('reg', 'ghcr.io')] };

describe('parseManifests', () => {
  it('accepts the minimal DataflowGraph of the reference', () => {
    const [doc, ...rest] = parseManifests(MINIMAL);
    expect(rest).toEqual([]);
    expect(doc!.index).toBe(0);
    expect(doc!.diagnostics).toEqual([]);
    expect(doc!.resource).toMatchObject({ kind: 'DataflowGraph', metadata: { name: 'temp-converter' } });
    expect((doc!.resource as { spec: { nodes: unknown[] } }).spec.nodes).toHaveLength(3);
  });

  it('accepts the minimal manifest against a context that holds its endpoints', () => {
    const ctx = { endpoints: [endpoint('default', 'Mqtt')], registryEndpoints: [registry('public-ghcr', 'ghcr.io')] };
    expect(parseManifests(MINIMAL, ctx)[0]!.diagnostics).toEqual([]);
  });

  it('locates errors of later documents at their lines in the whole file', () => {
    const second = [
      '---', // 25
      `apiVersion: ${API}`,
      'kind: DataflowGraph',
      'metadata:',
      '  name: broken',
      'spec:', // 30
      '  nodes:',
      '    - nodeType: Source',
      '      name: s',
      '      sourceSettings:',
      '        endpointRef: default', // 35
      '        dataSources: [in]',
      '    - nodeType: Graph',
      '      name: p',
      '      graphSettings:',
      '        registryEndpointRef: public-ghcr', // 40
      '        artifact: graph-simple', // 41, value at col 19
      '    - nodeType: Destination',
      '      name: d',
      '      destinationSettings: { endpointRef: default, dataDestination: out }',
      '  nodeConnections:', // 45
      '    - { from: { name: s }, to: { name: p } }',
      '    - { from: { name: p }, to: { name: d } }',
      '---', // 48
      'kind: RegistryEndpoint',
      'metadata: { name: @bad }', // 50, `@` at col 19
    ].join('\n');
    const docs = parseManifests(MINIMAL + second + '\n');
    expect(docs.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(docs[0]!.diagnostics).toEqual([]);
    expect(docs[0]!.resource).toBeDefined();

    expect(docs[1]!.resource).toBeUndefined();
    expect(docs[1]!.diagnostics).toEqual([
      expect.objectContaining({ rule: 'artifact', path: 'spec.nodes[1].graphSettings.artifact', line: 41, column: 19 }),
    ]);

    expect(docs[2]!.resource).toBeUndefined();
    expect(docs[2]!.diagnostics).toEqual([expect.objectContaining({ rule: 'yaml-syntax', line: 50, column: 19 })]);
  });

  it('locates an error of a document after comments and blank lines', () => {
    const text = '# header comment\n\n' + MINIMAL + '---\n# another\n\n' + MINIMAL.replace('kind: DataflowGraph', 'kind: Dataflow');
    // First document: lines 3-26. `---` at 27, comment 28, blank 29, second document from line 30.
    const [first, second] = parseManifests(text);
    expect(first!.diagnostics).toEqual([]);
    expect(second!.diagnostics).toEqual([expect.objectContaining({ path: 'kind', line: 31, column: 7 })]);
  });

  it('rejects an unknown kind, naming the supported ones', () => {
    const [d, ...rest] = check(MINIMAL.replace('kind: DataflowGraph', 'kind: Dataflow'));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: 'schema', path: 'kind', line: 2, column: 7 });
    expect(d!.message).toBe(`unsupported kind "Dataflow" (expected one of ${SUPPORTED_KINDS.join(', ')})`);
    expect(SUPPORTED_KINDS).toEqual(['DataflowGraph', 'DataflowEndpoint', 'RegistryEndpoint']);
  });

  it('rejects a document without kind', () => {
    expect(check('apiVersion: v1\nmetadata: { name: x }\n')).toEqual([expect.objectContaining({ rule: 'schema', path: 'kind', message: 'missing "kind"' })]);
  });

  it('returns nothing for an empty file', () => {
    expect(parseManifests('')).toEqual([]);
  });

  it('accepts v1beta1 and rejects other API versions', () => {
    expect(check(MINIMAL.replace('/v1\n', '/v1beta1\n'))).toEqual([]);
    expect(check(MINIMAL.replace('/v1\n', '/v2\n'))).toEqual([expect.objectContaining({ rule: 'schema', path: 'apiVersion', line: 1, column: 13 })]);
  });

  it('rejects a resource name that is not a DNS label', () => {
    expect(check(MINIMAL.replace('name: temp-converter', 'name: Temp_Converter'))).toEqual([
      expect.objectContaining({ rule: 'schema', path: 'metadata.name', line: 3 }),
    ]);
  });

  it('rejects a node without its settings block', () => {
    const text = dataflowGraph([src(), '    - { nodeType: Graph, name: proc }', dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    const ds = check(text);
    expect(ds).toContainEqual(
      expect.objectContaining({ rule: 'schema', path: 'spec.nodes[1]', message: 'missing required property "graphSettings"', line: 7, column: 7 }),
    );
    // ajv adds a companion `must match "then" schema` at the same node; nothing elsewhere.
    expect(ds.every((d) => d.path === 'spec.nodes[1]' && d.line === 7)).toBe(true);
  });
});

describe('DataflowGraph rules (reference CLI)', () => {
  it('the hand-built baseline is valid, with and without context', () => {
    expect(check(VALID)).toEqual([]);
    expect(check(VALID, CONTEXT)).toEqual([]);
  });

  it('rejects duplicate node names at the second name', () => {
    const text = dataflowGraph([src(), proc(), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text)).toEqual([expect.objectContaining({ rule: 'unique-names', path: 'spec.nodes[2].name', line: 8, column: 32, message: 'duplicate node name "proc"' })]);
  });

  it('rejects a Destination as a connection source', () => {
    const text = dataflowGraph([src(), proc(), dst(), dst('dst2')], [edge('src', 'proc'), edge('proc', 'dst'), edge('dst', 'dst2')]);
    // connections at lines 11-13
    expect(check(text)).toEqual([
      expect.objectContaining({ rule: 'direction', path: 'spec.nodeConnections[2].from.name', line: 13, column: 23, message: expect.stringContaining('destination "dst"') }),
    ]);
  });

  it('rejects a Source as a connection target', () => {
    const text = dataflowGraph([src(), src('src2'), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst'), edge('src2', 'src')]);
    expect(check(text)).toEqual([
      expect.objectContaining({ rule: 'direction', path: 'spec.nodeConnections[2].to.name', line: 13, column: 43, message: expect.stringContaining('source "src"') }),
    ]);
  });

  it('requires at least one Source and one Destination node', () => {
    const noSource = dataflowGraph([proc(), dst()], [edge('proc', 'dst')]);
    expect(check(noSource)).toEqual([
      expect.objectContaining({ rule: 'node-types', path: 'spec.nodes', line: 5, column: 3, message: 'a data flow graph needs at least one Source node' }),
    ]);
    const noDestination = dataflowGraph([src(), proc()], [edge('src', 'proc')]);
    expect(check(noDestination)).toEqual([expect.objectContaining({ rule: 'node-types', message: 'a data flow graph needs at least one Destination node' })]);
  });

  it.each(['graph-simple', ':1.0.0', 'graph-simple:'])('rejects the artifact %j (needs <name>:<version>)', (artifact) => {
    const text = dataflowGraph([src(), proc('proc', JSON.stringify(artifact)), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text)).toEqual([
      expect.objectContaining({ rule: 'artifact', path: 'spec.nodes[1].graphSettings.artifact', line: 7, column: 91, message: `artifact "${artifact}" must be <name>:<version>` }),
    ]);
  });

  it('accepts a repository-qualified artifact', () => {
    const text = dataflowGraph([src(), proc('proc', 'azure-samples/explore-iot-operations/graph-simple:1.0.0'), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text)).toEqual([]);
  });

  it('rejects a cycle between graph nodes', () => {
    const text = dataflowGraph([src(), proc('p1'), proc('p2'), dst()], [edge('src', 'p1'), edge('p1', 'p2'), edge('p2', 'p1'), edge('p2', 'dst')]);
    expect(check(text)).toEqual([expect.objectContaining({ rule: 'acyclic', path: 'spec.nodeConnections', line: 10, column: 3, message: 'node connections form a cycle' })]);
  });

  it('rejects a self-loop at the connection', () => {
    const text = dataflowGraph([src(), proc(), dst()], [edge('src', 'proc'), edge('proc', 'proc'), edge('proc', 'dst')]);
    const found = check(text).filter((d) => d.rule === 'acyclic');
    expect(found).toContainEqual(expect.objectContaining({ path: 'spec.nodeConnections[1]', line: 11, column: 7, message: 'node "proc" is connected to itself' }));
  });

  it('rejects connections naming unknown nodes', () => {
    const text = dataflowGraph([src(), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst'), edge('ghost', 'dst'), edge('proc', 'nowhere')]);
    expect(check(text)).toEqual([
      expect.objectContaining({ rule: 'references', path: 'spec.nodeConnections[2].from.name', line: 12, column: 23, message: 'unknown node "ghost"' }),
      expect.objectContaining({ rule: 'references', path: 'spec.nodeConnections[3].to.name', line: 13, column: 43, message: 'unknown node "nowhere"' }),
    ]);
  });

  it('accepts named outputs of a graph node, but not of a source', () => {
    const named = dataflowGraph([src(), proc(), dst(), dst('dst2')], [edge('src', 'proc'), edge('proc.output.true', 'dst'), edge('proc.output.false', 'dst2')]);
    expect(check(named)).toEqual([]);
    const fromSource = dataflowGraph([src(), proc(), dst()], [edge('src.out', 'proc'), edge('proc', 'dst')]);
    expect(check(fromSource)).toEqual([
      expect.objectContaining({ rule: 'references', path: 'spec.nodeConnections[0].from.name', message: 'only graph nodes have named outputs ("src.out")' }),
    ]);
  });

  it('rejects a duplicate configuration key', () => {
    const text = MINIMAL.replace('          - { key: key1, value: example-value }\n', '          - { key: key1, value: a }\n          - { key: key1, value: b }\n');
    expect(check(text)).toEqual([
      expect.objectContaining({ rule: 'configuration', path: 'spec.nodes[1].graphSettings.configuration[1].key', line: 19, column: 20 }),
    ]);
  });
});

describe('endpoint checks (with a context)', () => {
  it('skips them without a context', () => {
    const text = dataflowGraph([src('src', 'nope'), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text)).toEqual([]);
  });

  it('rejects an unknown endpoint, at the endpointRef', () => {
    const text = dataflowGraph([src('src', 'nope'), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text, CONTEXT)).toEqual([
      expect.objectContaining({ rule: 'references', path: 'spec.nodes[0].sourceSettings.endpointRef', line: 6, column: 69, message: 'endpoint "nope" not found' }),
    ]);
  });

  it('rejects an unknown destination endpoint', () => {
    const text = dataflowGraph([src(), proc(), dst('dst', 'nope')], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text, CONTEXT)).toEqual([
      expect.objectContaining({ rule: 'references', path: 'spec.nodes[2].destinationSettings.endpointRef', line: 8, column: 79 }),
    ]);
  });

  it('requires kafkaSettings.consumerGroupId on a Kafka source', () => {
    const text = dataflowGraph([src('src', 'kafka'), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    const without = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('kafka', 'Kafka', { kafkaSettings: { host: 'k:9093' } })] };
    expect(check(text, without)).toEqual([
      expect.objectContaining({ rule: 'kafka-consumer-group', path: 'spec.nodes[0].sourceSettings.endpointRef', line: 6, column: 69 }),
    ]);
    const withGroup = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('kafka', 'Kafka', { kafkaSettings: { host: 'k:9093', consumerGroupId: 'g' } })] };
    expect(check(text, withGroup)).toEqual([]);
  });

  it('does not require a consumer group on a Kafka destination', () => {
    const text = dataflowGraph([src(), proc(), dst('dst', 'kafka')], [edge('src', 'proc'), edge('proc', 'dst')]);
    const ctx = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('kafka', 'Kafka', { kafkaSettings: { host: 'k:9093' } })] };
    expect(check(text, ctx)).toEqual([]);
  });

  it('rejects OpenTelemetry as a source, accepts it as a destination', () => {
    const ctx = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('otel', 'OpenTelemetry', { openTelemetrySettings: { host: 'o:4317' } })] };
    const asSource = dataflowGraph([src('src', 'otel'), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(asSource, ctx)).toEqual([
      expect.objectContaining({ rule: 'endpoint-type', path: 'spec.nodes[0].sourceSettings.endpointRef', line: 6, message: 'endpoint "otel" (OpenTelemetry) can only be a destination' }),
    ]);
    const asDestination = dataflowGraph([src(), proc(), dst('dst', 'otel')], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(asDestination, ctx)).toEqual([]);
  });

  it('rejects a Fabric Real-Time (Kafka) endpoint as a source', () => {
    const ctx = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('fabric', 'Kafka', { hostType: 'FabricRT', kafkaSettings: { host: 'f:9093', consumerGroupId: 'g' } })] };
    const text = dataflowGraph([src('src', 'fabric'), proc(), dst()], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text, ctx)).toEqual([expect.objectContaining({ rule: 'endpoint-type', message: expect.stringContaining('can only be a destination') })]);
  });

  it('rejects endpoint types graphs do not support', () => {
    const ctx = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('lake', 'DataLakeStorage')] };
    const text = dataflowGraph([src(), proc(), dst('dst', 'lake')], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text, ctx)).toEqual([
      expect.objectContaining({ rule: 'endpoint-type', path: 'spec.nodes[2].destinationSettings.endpointRef', message: expect.stringContaining('DataLakeStorage') }),
    ]);
  });

  it('rejects a destination topic that a source on the same endpoint subscribes to', () => {
    const text = dataflowGraph([src('src', 'mqtt', '[in/#]'), proc(), dst('dst', 'mqtt', 'in/x')], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(text, CONTEXT)).toEqual([
      expect.objectContaining({
        rule: 'topic-loop',
        path: 'spec.nodes[2].destinationSettings.dataDestination',
        line: 8,
        column: 102,
        message: 'destination topic "in/x" overlaps source topic "in/#" on endpoint "mqtt" (messages would loop)',
      }),
    ]);
  });

  it('accepts the same topic on different endpoints, and disjoint topics on one endpoint', () => {
    const ctx = { ...CONTEXT, endpoints: [endpoint('mqtt', 'Mqtt'), endpoint('other', 'Mqtt')] };
    const otherEndpoint = dataflowGraph([src('src', 'mqtt', '[in/x]'), proc(), dst('dst', 'other', 'in/x')], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(otherEndpoint, ctx)).toEqual([]);
    const disjoint = dataflowGraph([src('src', 'mqtt', '[in/+]'), proc(), dst('dst', 'mqtt', 'in/x/y')], [edge('src', 'proc'), edge('proc', 'dst')]);
    expect(check(disjoint, ctx)).toEqual([]);
  });

  it('checks graph nodes against the registry endpoints', () => {
    expect(check(VALID, { registryEndpoints: [registry('other', 'ghcr.io')] })).toEqual([
      expect.objectContaining({ rule: 'references', path: 'spec.nodes[1].graphSettings.registryEndpointRef', line: 7, message: 'registry endpoint "reg" not found' }),
    ]);
    expect(check(VALID, { registryEndpoints: [registry('reg', '  ')] })).toEqual([
      expect.objectContaining({ rule: 'references', message: 'registry endpoint "reg" has no host' }),
    ]);
  });
});

describe('other resource kinds', () => {
  it('accepts the default DataflowEndpoint of the reference', () => {
    const text = `apiVersion: ${API}
kind: DataflowEndpoint
metadata: { name: default, namespace: azure-iot-operations }
spec:
  endpointType: Mqtt
  mqttSettings:
    host: aio-broker:18883
    authentication: { method: ServiceAccountToken, serviceAccountTokenSettings: { audience: aio-internal } }
    tls: { mode: Enabled, trustedCaCertificateConfigMapRef: azure-iot-operations-aio-ca-trust-bundle }
`;
    const [doc] = parseManifests(text);
    expect(doc!.diagnostics).toEqual([]);
    expect(doc!.resource?.kind).toBe('DataflowEndpoint');
  });

  it('rejects a Kafka endpoint without host', () => {
    const text = `apiVersion: ${API}\nkind: DataflowEndpoint\nmetadata: { name: k }\nspec:\n  endpointType: Kafka\n  kafkaSettings: { consumerGroupId: g }\n`;
    expect(check(text)).toEqual([expect.objectContaining({ rule: 'schema', path: 'spec.kafkaSettings', message: 'missing required property "host"', line: 6 })]);
  });

  it('warns (only) about managed-identity registry endpoints', () => {
    const text = `apiVersion: ${API}
kind: RegistryEndpoint
metadata: { name: my-acr, namespace: azure-iot-operations }
spec:
  host: myacr.azurecr.io
  authentication:
    method: SystemAssignedManagedIdentity
    systemAssignedManagedIdentitySettings: { audience: "https://management.azure.com/" }
`;
    const [doc] = parseManifests(text);
    expect(doc!.resource).toBeDefined();
    expect(doc!.diagnostics).toEqual([
      expect.objectContaining({ rule: 'auth-method', severity: 'warning', path: 'spec.authentication.method', line: 7, column: 13 }),
    ]);
  });

  it('requires artifactPullSecretSettings for ArtifactPullSecret', () => {
    const value = { apiVersion: API, kind: 'RegistryEndpoint', metadata: { name: 'r' }, spec: { host: 'h.io', authentication: { method: 'ArtifactPullSecret' } } };
    expect(validateResource(value)).toContainEqual(expect.objectContaining({ path: 'spec.authentication', message: 'missing required property "artifactPullSecretSettings"' }));
    const withSecret = { ...value, spec: { ...value.spec, authentication: { method: 'ArtifactPullSecret', artifactPullSecretSettings: { secretRef: 's' } } } };
    expect(validateResource(withSecret)).toEqual([]);
  });

  it('validateResource handles non-objects', () => {
    expect(validateResource(null)).toEqual([expect.objectContaining({ message: 'missing "kind"' })]);
    expect(validateResource({ kind: 7 })).toEqual([expect.objectContaining({ message: 'missing "kind"' })]);
  });
});

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['+/+', 'a/b', true],
    ['a/+/c', 'a/x/c', true],
    ['a/+/c', 'a/x/d', false],
    ['a/#', 'a/b/c/d', true],
    ['a/#', 'a', true], // `#` also matches the parent level
    ['a/#', 'b/c', false],
    ['#', 'anything/at/all', true],
    ['+/#', 'a', true],
    ['sensor/+/raw', 'sensor/temperature/raw', true],
    ['sensor/temperature/raw', 'sensor/temperature/processed', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
