import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { MODULE_OPERATION_TYPES, type GraphDefinition } from './types.ts';

/**
 * Semantic rules the schema cannot express (reference §1.4). Assumes the
 * document already passed the schema check.
 */
export function checkGraphRules(graph: GraphDefinition): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, number>();

  graph.operations.forEach((op, i) => {
    if (!op.name.trim()) out.push(diagnostic(['operations', i, 'name'], 'operation name must not be empty', 'names'));
    if (byName.has(op.name)) {
      out.push(diagnostic(['operations', i, 'name'], `duplicate operation name "${op.name}" (first at operations[${byName.get(op.name)}])`, 'unique-names'));
    } else byName.set(op.name, i);
    const needsModule = MODULE_OPERATION_TYPES.includes(op.operationType);
    if (needsModule && !op.module) {
      out.push(diagnostic(['operations', i], `${op.operationType} operation "${op.name}" needs a module`, 'module-required'));
    }
    if (!needsModule && op.module) {
      out.push(diagnostic(['operations', i, 'module'], `${op.operationType} operation "${op.name}" must not have a module`, 'module-forbidden'));
    }
  });

  const sources = graph.operations.filter((o) => o.operationType === 'source');
  const sinks = graph.operations.filter((o) => o.operationType === 'sink');
  if (sources.length === 0) out.push(diagnostic(['operations'], 'graph has no source operation', 'source-sink'));
  if (sinks.length === 0) out.push(diagnostic(['operations'], 'graph has no sink operation', 'source-sink'));

  const typeOf = (name: string) => graph.operations[byName.get(name) ?? -1]?.operationType;
  const incoming = new Map<string, number>();
  const outgoing = new Map<string, number[]>();
  const edgeKeys = new Set<string>();

  graph.connections.forEach((c, i) => {
    const fromType = typeOf(c.from.name);
    const toType = typeOf(c.to.name);
    if (!fromType) out.push(diagnostic(['connections', i, 'from', 'name'], `unknown operation "${c.from.name}"`, 'references'));
    if (!toType) out.push(diagnostic(['connections', i, 'to', 'name'], `unknown operation "${c.to.name}"`, 'references'));
    if (c.from.name === c.to.name) out.push(diagnostic(['connections', i], `"${c.from.name}" is connected to itself`, 'acyclic'));
    const key = `${c.from.name}\u0000${c.from.arm ?? ''}\u0000${c.to.name}`;
    if (edgeKeys.has(key)) out.push(diagnostic(['connections', i], `duplicate connection ${c.from.name} -> ${c.to.name}`, 'duplicate-connection'));
    edgeKeys.add(key);
    if (toType === 'source') out.push(diagnostic(['connections', i, 'to', 'name'], `source "${c.to.name}" cannot have an input`, 'source-sink'));
    if (fromType === 'sink') out.push(diagnostic(['connections', i, 'from', 'name'], `sink "${c.from.name}" cannot have an output`, 'source-sink'));
    if (fromType === 'branch' && !c.from.arm) {
      out.push(diagnostic(['connections', i, 'from'], `connection from branch "${c.from.name}" needs arm: "True" or "False"`, 'branch-arms'));
    }
    if (fromType && fromType !== 'branch' && c.from.arm) {
      out.push(diagnostic(['connections', i, 'from', 'arm'], `"${c.from.name}" is a ${fromType}, only branch connections carry an arm`, 'branch-arms'));
    }
    incoming.set(c.to.name, (incoming.get(c.to.name) ?? 0) + 1);
    const outs = outgoing.get(c.from.name);
    if (outs) outs.push(i);
    else outgoing.set(c.from.name, [i]);
  });

  graph.operations.forEach((op, i) => {
    const ins = incoming.get(op.name) ?? 0;
    const outs = outgoing.get(op.name) ?? [];
    if (op.operationType === 'concatenate' && ins < 2) {
      out.push(diagnostic(['operations', i], `concatenate "${op.name}" needs at least 2 inputs, has ${ins}`, 'concatenate-inputs'));
    }
    if (op.operationType !== 'source' && op.operationType !== 'concatenate' && ins > 1) {
      out.push(diagnostic(['operations', i], `"${op.name}" has ${ins} inputs; the reference merges streams with a concatenate operation`, 'fan-in', 'warning'));
    }
    if (op.operationType !== 'source' && ins === 0) {
      out.push(diagnostic(['operations', i], `"${op.name}" has no input`, 'unreachable'));
    }
    if (op.operationType !== 'sink' && outs.length === 0) {
      out.push(diagnostic(['operations', i], `"${op.name}" has no output`, 'dangling'));
    }
    if (op.operationType === 'branch') {
      const arms = outs.map((ci) => graph.connections[ci]?.from.arm);
      for (const arm of ['True', 'False'] as const) {
        const n = arms.filter((a) => a === arm).length;
        if (n === 0) out.push(diagnostic(['operations', i], `branch "${op.name}" has no "${arm}" arm`, 'branch-arms', 'warning'));
        if (n > 1) out.push(diagnostic(['operations', i], `branch "${op.name}" has ${n} "${arm}" arms; fan out after a single arm is not allowed`, 'branch-arms'));
      }
    }
  });

  const cycle = findCycle(graph);
  if (cycle) {
    const idx = byName.get(cycle[0]!) ?? 0;
    out.push(diagnostic(['operations', idx], `cycle: ${cycle.join(' -> ')}`, 'acyclic'));
  }

  (graph.moduleConfigurations ?? []).forEach((mc, i) => {
    if (!byName.has(mc.name)) {
      out.push(diagnostic(['moduleConfigurations', i, 'name'], `no operation named "${mc.name}"`, 'configuration-names'));
    }
    for (const [key, p] of Object.entries(mc.parameters ?? {})) {
      if (p.name !== key) {
        out.push(diagnostic(['moduleConfigurations', i, 'parameters', key, 'name'],
          `parameter key "${key}" differs from its name "${p.name}"; "${key}" is the configuration key`, 'parameter-names', 'warning'));
      }
    }
  });
  return out;
}

/** Returns the names on one cycle, or undefined when the graph is acyclic. */
export function findCycle(graph: GraphDefinition): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const c of graph.connections) {
    if (c.from.name === c.to.name) continue;
    const targets = next.get(c.from.name);
    if (targets) targets.push(c.to.name);
    else next.set(c.from.name, [c.to.name]);
  }
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const m of next.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const found = visit(m);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const op of graph.operations) {
    if (!state.has(op.name)) {
      const found = visit(op.name);
      if (found) return found;
    }
  }
  return undefined;
}
