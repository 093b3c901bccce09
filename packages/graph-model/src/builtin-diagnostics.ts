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
interface Connection { from?: { schema?: { schemaRef?: unknown } }; to?: { name?: unknown } }

function validatesSchema(rules: string | undefined): boolean {
  try {
    return (JSON.parse(rules ?? '') as { validateSchema?: unknown } | null)?.validateSchema === true;
  } catch {
    return false;
  }
}

function incomingSchemaRefs(connections: unknown, node: unknown): Set<string> {
  const refs = new Set<string>();
  for (const c of Array.isArray(connections) ? (connections as Connection[]) : []) {
    const ref = c?.from?.schema?.schemaRef;
    if (c?.to?.name === node && typeof ref === 'string' && ref.trim()) refs.add(ref);
  }
  return refs;
}

/** Problems of every Graph node whose artifact is a built-in (`azureiotoperations/graph-dataflow-*`); shape errors are left to the schema. */
export function builtinRuleDiagnostics(resource: unknown): Diagnostic[] {
  const nodes = (resource as { spec?: { nodes?: unknown } } | undefined)?.spec?.nodes;
  if (!Array.isArray(nodes)) return [];
  const out: Diagnostic[] = [];
  const connections = (resource as { spec?: { nodeConnections?: unknown } }).spec?.nodeConnections;
  nodes.forEach((n: { nodeType?: unknown; name?: unknown; graphSettings?: { artifact?: unknown; configuration?: unknown } } | null, i) => {
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
    if (kind === 'filter' && validatesSchema(config.rules) && !config.schemaRef?.trim() && incomingSchemaRefs(connections, n.name).size !== 1) {
      // The filter's init refuses this: flattenDataflow gives it a schemaRef only from incoming connections naming one schema.
      const j = entries.findIndex((c) => c?.key === 'rules');
      out.push(diagnostic(['spec', 'nodes', i, 'graphSettings', 'configuration', j, 'value'], 'validateSchema: true needs a schema: give the connections into this node one schemaRef (aio-sr://<namespace>/<name>:<version>)', BUILTIN_RULES_RULE));
    }
  });
  return out;
}
