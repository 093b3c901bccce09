/**
 * Which schema a built-in filter with `validateSchema: true` validates against
 * (decision 15): the node configuration's `schemaRef` when given, else the one
 * schemaRef its incoming connections name (`from.schema.schemaRef`), as
 * `flattenDataflow` passes it; none when they name several or none.
 */

export interface IncomingSchema {
  /** The connection's index in `spec.nodeConnections` and its `from.name`. */
  connection: number;
  from: string;
  schemaRef: string;
}

export type FilterSchema =
  | { source: 'configuration'; schemaRef: string; incoming: IncomingSchema[] }
  | { source: 'connection'; schemaRef: string; incoming: IncomingSchema[] }
  | { source: 'none'; incoming: IncomingSchema[]; reason: string };

interface Connection { from?: { name?: unknown; schema?: { schemaRef?: unknown } }; to?: { name?: unknown } }

/** The schemaRefs of the connections into `node`. */
export function incomingSchemas(resource: unknown, node: string): IncomingSchema[] {
  const conns = (resource as { spec?: { nodeConnections?: unknown } } | undefined)?.spec?.nodeConnections;
  if (!Array.isArray(conns)) return [];
  const out: IncomingSchema[] = [];
  (conns as (Connection | null)[]).forEach((c, connection) => {
    const ref = c?.from?.schema?.schemaRef;
    if (c?.to?.name === node && typeof ref === 'string' && ref.trim()) out.push({ connection, from: String(c.from?.name ?? ''), schemaRef: ref });
  });
  return out;
}

/** The schema the filter node will use; `configured` is its configuration's `schemaRef` value, if any. */
export function filterSchema(resource: unknown, node: string, configured: string | undefined): FilterSchema {
  const incoming = incomingSchemas(resource, node);
  if (configured?.trim()) return { source: 'configuration', schemaRef: configured.trim(), incoming };
  const refs = [...new Set(incoming.map((s) => s.schemaRef))];
  if (refs.length === 1) return { source: 'connection', schemaRef: refs[0]!, incoming };
  const reason = refs.length ? `the incoming connections name different schemas (${refs.join(', ')})` : 'no incoming connection has a schema';
  return { source: 'none', incoming, reason };
}
