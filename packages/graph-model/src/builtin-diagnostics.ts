/**
 * The built-in transforms' rule checks (expression/rules.ts) as located
 * diagnostics of a DataflowGraph: one per problem, at the configuration
 * entry's value (`spec.nodes[i].graphSettings.configuration[j].value`), or at
 * `graphSettings` when a required key is missing. The designer adds lines to
 * them; the server refuses a save or deploy with them (rule `builtin-rules`).
 */
import { diagnostic, type Diagnostic, type PathSegment } from './diagnostics.ts';
import { builtinKindOf, builtinVersionOf, checkBuiltinConfiguration, type RuleProblem } from './expression/index.ts';
import { filterSchema } from './filter-schema.ts';

export const BUILTIN_RULES_RULE = 'builtin-rules';

interface Entry { key?: unknown; value?: unknown }

/** A filter validating with no schema known fails at init; a warning only, since the connection or the override may come later. */
function schemaWarning(resource: unknown, node: string, config: Record<string, string>): RuleProblem | undefined {
  let rules: unknown;
  try {
    rules = JSON.parse(config.rules ?? '');
  } catch {
    return undefined;
  }
  if ((rules as { validateSchema?: unknown } | null)?.validateSchema !== true) return undefined;
  const s = filterSchema(resource, node, config.schemaRef);
  if (s.source !== 'none') return undefined;
  return { key: 'rules', severity: 'warning', message: `validateSchema is on but ${s.reason}: give the incoming connection a schemaRef or set schemaRef here (the filter will not start without one)` };
}

/** Problems of every Graph node whose artifact is a built-in (`azureiotoperations/graph-dataflow-*`); shape errors are left to the schema. */
export function builtinRuleDiagnostics(resource: unknown): Diagnostic[] {
  const nodes = (resource as { spec?: { nodes?: unknown } } | undefined)?.spec?.nodes;
  if (!Array.isArray(nodes)) return [];
  const out: Diagnostic[] = [];
  nodes.forEach((n: { name?: unknown; nodeType?: unknown; graphSettings?: { artifact?: unknown; configuration?: unknown } } | null, i) => {
    if (n?.nodeType !== 'Graph' || typeof n.graphSettings?.artifact !== 'string') return;
    const kind = builtinKindOf(n.graphSettings.artifact);
    if (!kind) return;
    const entries: Entry[] = Array.isArray(n.graphSettings.configuration) ? n.graphSettings.configuration : [];
    // The first entry of a key is the one that counts (as the components read it).
    const config: Record<string, string> = {};
    for (const c of entries) if (c && typeof c.key === 'string' && !(c.key in config)) config[c.key] = String(c.value ?? '');
    const problems = checkBuiltinConfiguration(kind, config, builtinVersionOf(n.graphSettings.artifact));
    const warning = kind === 'filter' ? schemaWarning(resource, String(n.name ?? ''), config) : undefined;
    for (const p of warning ? [...problems, warning] : problems) {
      const j = entries.findIndex((c) => c?.key === p.key);
      const at: PathSegment[] = j >= 0 ? ['spec', 'nodes', i, 'graphSettings', 'configuration', j, 'value'] : ['spec', 'nodes', i, 'graphSettings'];
      out.push(diagnostic(at, p.message, BUILTIN_RULES_RULE, p.severity ?? 'error'));
    }
  });
  return out;
}
