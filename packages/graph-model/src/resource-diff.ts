/** One difference between two versions of a resource. */
export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** Annotations this tool owns (canvas layout): never part of a semantic diff. */
export const LAYOUT_ANNOTATION_PREFIX = 'wgs.dev/';

const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink'];

/** Lists keyed by `name` compare by name, so reordering nodes is not a change. */
function keyed(list: unknown[]): Map<string, unknown> | undefined {
  if (!list.every((x) => x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string')) return undefined;
  const m = new Map<string, unknown>();
  for (const x of list) m.set((x as { name: string }).name, x);
  return m.size === list.length ? m : undefined;
}

/** Connections compare as a set (order is not meaningful). */
function asSet(list: unknown[]): Map<string, unknown> {
  return new Map(list.map((x) => [JSON.stringify(x), x]));
}

function walk(path: string, a: unknown, b: unknown, out: Change[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a === undefined) return void out.push({ path, kind: 'added', after: b });
  if (b === undefined) return void out.push({ path, kind: 'removed', before: a });
  if (Array.isArray(a) && Array.isArray(b)) {
    const ka = keyed(a);
    const kb = keyed(b);
    const [ma, mb, label] = ka && kb ? [ka, kb, (k: string) => `${path}[name=${k}]`] : path.endsWith('nodeConnections')
      ? [asSet(a), asSet(b), (k: string) => `${path}[${k}]`] : [undefined, undefined, undefined];
    if (ma && mb && label) {
      for (const [k, v] of ma) walk(label(k), v, mb.get(k), out);
      for (const [k, v] of mb) if (!ma.has(k)) walk(label(k), undefined, v, out);
      return;
    }
    return void out.push({ path, kind: 'changed', before: a, after: b });
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) walk(path ? `${path}.${k}` : k, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
    return;
  }
  out.push({ path, kind: 'changed', before: a, after: b });
}

/** The part of a resource that a deploy changes: no status, server fields or layout. */
export function semanticView(r: { apiVersion?: string; kind?: string; metadata?: Record<string, unknown>; spec?: unknown } | undefined): unknown {
  if (!r) return undefined;
  const metadata = { ...(r.metadata ?? {}) };
  for (const f of SERVER_FIELDS) delete metadata[f];
  delete metadata.namespace;
  const annotations = Object.fromEntries(Object.entries((metadata.annotations as Record<string, string> | undefined) ?? {})
    .filter(([k]) => !k.startsWith(LAYOUT_ANNOTATION_PREFIX) && k !== 'kubectl.kubernetes.io/last-applied-configuration'));
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const mode = (r.spec as { mode?: string } | undefined)?.mode;
  // The reference treats mode case-insensitively; default Enabled.
  const spec = r.spec && typeof r.spec === 'object' ? { ...(r.spec as object), ...(mode ? { mode: mode[0]!.toUpperCase() + mode.slice(1).toLowerCase() } : {}) } : r.spec;
  return { kind: r.kind, metadata, spec };
}

/** Semantic differences from `current` (what the cluster holds) to `draft`. */
export function diffResources(current: Parameters<typeof semanticView>[0], draft: Parameters<typeof semanticView>[0]): Change[] {
  const out: Change[] = [];
  walk('', semanticView(current), semanticView(draft), out);
  return out;
}
