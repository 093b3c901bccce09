/**
 * Built-in transforms' rule problems as diagnostics of the manifest: on the
 * node (badge, the toolbar's error count), on the YAML line of the
 * configuration value, and a reason to refuse the save.
 */
import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { BUILTIN_RULES_RULE, builtinKindOf, builtinRuleDiagnostics, builtinVersionOf, checkBuiltinConfiguration, type DataflowGraphResource, type Diagnostic, type GraphNode, type RuleProblem } from '@wgs/graph-model';
import { configOf } from './config.ts';

export const BUILTIN_RULE = BUILTIN_RULES_RULE;

/** Why the draft may not be saved or deployed: the first built-in rule error (warnings do not block), named by its node. */
export function builtinBlocker(diagnostics: readonly Diagnostic[], value: DataflowGraphResource | undefined): string | undefined {
  const d = diagnostics.find((x) => x.rule === BUILTIN_RULE && x.severity === 'error');
  if (!d) return undefined;
  const node = value?.spec?.nodes?.[Number(/nodes\[(\d+)\]/.exec(d.path)?.[1])]?.name;
  return `${node ?? 'a built-in'}: ${d.message}`;
}

/** Problems of every built-in node, by node name. */
export function builtinProblems(value: DataflowGraphResource | undefined): Map<string, RuleProblem[]> {
  const out = new Map<string, RuleProblem[]>();
  for (const n of value?.spec?.nodes ?? []) {
    if (n?.nodeType !== 'Graph') continue;
    const artifact = (n as GraphNode).graphSettings?.artifact;
    const kind = builtinKindOf(artifact);
    if (!kind) continue;
    const problems = checkBuiltinConfiguration(kind, configOf(n as GraphNode), builtinVersionOf(artifact));
    if (problems.length) out.set(n.name, problems);
  }
  return out;
}

/** The shared checks (graph-model `builtinRuleDiagnostics`, which the server runs too) with the YAML line of each. */
export function builtinDiagnostics(text: string, value: DataflowGraphResource | undefined): Diagnostic[] {
  const found = builtinRuleDiagnostics(value);
  if (!found.length) return [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return found.map((d) => {
    const at = (doc.getIn(d.segments ?? [], true) as YamlNode | undefined)?.range?.[0];
    const pos = at !== undefined ? lines.linePos(at) : undefined;
    return { ...d, ...(pos ? { line: pos.line, column: pos.col } : {}) };
  });
}
