/**
 * Large graph definitions for the canvas benchmark, built only from the
 * sample modules (packages/operators/graphs), so they validate: a source
 * fanned out to parallel lanes of maps, filters and delays, joined by one
 * concatenate before the sink.
 */
const TEMPERATURE = 'azure-samples/explore-iot-operations/temperature:1.0.0';
const WINDOW = 'azure-samples/explore-iot-operations/window:1.0.0';

/** The operators a lane cycles through. */
const STEPS: { type: string; module: string }[] = [
  { type: 'map', module: TEMPERATURE },
  { type: 'filter', module: TEMPERATURE },
  { type: 'delay', module: WINDOW },
];

/**
 * A definition with exactly `operations` operations (at least 4): source,
 * concatenate and sink plus `operations - 3` lane steps spread over `lanes` lanes.
 */
export function laneGraph(operations: number, lanes: number, name = `bench-${operations}`): string {
  if (operations < 4) throw new Error('a lane graph has at least 4 operations');
  const steps = operations - 3;
  const laneCount = Math.max(1, Math.min(lanes, steps));
  const ops: string[] = ['  - { operationType: source, name: source }'];
  const conns: string[] = [];
  let made = 0;
  for (let lane = 0; lane < laneCount; lane++) {
    // Spread the steps evenly; earlier lanes take the remainder.
    const length = Math.floor(steps / laneCount) + (lane < steps % laneCount ? 1 : 0);
    let previous = 'source';
    for (let i = 0; i < length; i++) {
      const step = STEPS[(made++) % STEPS.length]!;
      const opName = `lane${lane}/${step.type}${i}`;
      ops.push(`  - { operationType: ${step.type}, name: ${opName}, module: ${step.module} }`);
      conns.push(`  - { from: { name: ${previous} }, to: { name: ${opName} } }`);
      previous = opName;
    }
    conns.push(`  - { from: { name: ${previous} }, to: { name: join } }`);
  }
  ops.push('  - { operationType: concatenate, name: join }', '  - { operationType: sink, name: sink }');
  conns.push('  - { from: { name: join }, to: { name: sink } }');
  return [
    'metadata:',
    '  $schema: https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json',
    `  name: ${name}`,
    '  version: 1.0.0',
    'moduleRequirements:',
    '  apiVersion: "1.1.0"',
    '  runtimeVersion: "1.1.0"',
    'operations:',
    ...ops,
    'connections:',
    ...conns,
    '',
  ].join('\n');
}
