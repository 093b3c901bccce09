/**
 * The built-in transforms' rule checks (expression/rules.ts) as located
 * diagnostics of a DataflowGraph: one per problem, at the configuration
 * entry's value (`spec.nodes[i].graphSettings.configuration[j].value`), or at
 * `graphSettings` when a required key is missing. The designer adds lines to
 * them; the server refuses a save or deploy with them (rule `builtin-rules`).
 */
import { diagnostic, type Diagnostic, type PathSegment } from './diagnostics.ts';
import { builtinKindOf, checkBuiltinConfiguration } from './expression/index.ts';

export const BUILTIN_RULES_RULE = 'builtin-rules';

interface Entry { key?: unknown; value?: unknown }

/** Problems of every Graph node whose artifact is a built-in (`azureiotoperations/graph-dataflow-*`); shape errors are left to the schema. */
export function builtinRuleDiagnostics(resource: unknown): Diagnostic[] {
  const nodes = (resource as { spec?: { nodes?: unknown } } | undefined)?.spec?.nodes;
  if (!Array.isArray(nodes)) return [];
  const out: Diagnostic[] = [];
  nodes.forEach((n: { nodeType?: unknown; graphSettings?: { artifact?: unknown; configuration?: unknown } } | null, i) => {
    if (n?.nodeType !== 'Graph' || typeof n.graphSettings?.artifact !== 'string') return;
    const kind = builtinKindOf(n.graphSettings.artifact);
    if (!kind) return;
    const entries: Entry[] = Array.isArray(n.graphSettings.configuration) ? n.graphSettings.configuration : [];
    // The first entry of a key is the one that counts (as the components read it).
    const config: Record<string, string> = {};
    for (const c of entries) if (c && typeof c.key === 'string' && !(c.key in config)) config[c.key] = String(c.value ?? '');
    for (const p of checkBuiltinConfiguration(kind, config)) {
      const j = entries.findIndex((c) => c?.key === p.key);
      const at: PathSegment[] = j >= 0 ? ['spec', 'nodes', i, 'graphSettings', 'configuration', j, 'value'] : ['spec', 'nodes', i, 'graphSettings'];
      out.push(diagnostic(at, p.message, BUILTIN_RULES_RULE));
    }
  });
  return out;
}
