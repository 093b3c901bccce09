import { filterSchema, type DataflowGraphResource, type RuleProblem } from '@wgs/graph-model';

interface Props {
  resource: DataflowGraphResource | undefined;
  node: string;
  /** The node configuration's `schemaRef`, if any. */
  configured: string | undefined;
  problems: RuleProblem[];
  onChange(schemaRef: string): void;
}

/**
 * The schema `validateSchema` uses (decision 15): the incoming connection's
 * `schemaRef`, shown read-only with where it comes from, unless the node's own
 * `schemaRef` overrides it. No schema known: a warning, the filter will not start.
 */
export function FilterSchema({ resource, node, configured, problems, onChange }: Props) {
  const used = filterSchema(resource, node, configured);
  return (
    <div className="rows" data-testid="filter-schema">
      {used.incoming.map((s) => (
        <div key={s.connection} className="row muted" data-testid="filter-incoming-schema">
          connection from <code>{s.from}</code>: <code>{s.schemaRef}</code>
        </div>
      ))}
      <label className="rule-field"><span>Override</span>
        <input data-testid="filter-schema-ref" aria-label="schemaRef override" value={configured ?? ''} spellCheck={false}
          placeholder={used.incoming[0]?.schemaRef ?? 'aio-sr://<namespace>/<name>:<version>'} aria-invalid={problems.some((p) => !p.severity)}
          onChange={(e) => onChange(e.target.value)} />
      </label>
      {problems.map((p, i) => <small key={i} className={`diag-${p.severity ?? 'error'}`} data-testid={p.severity ? 'schema-warning' : 'rule-problem'}>{p.message}</small>)}
      {used.source === 'none' ? (
        <small className="diag-warning" data-testid="filter-schema-warning">No schema: {used.reason}. Give the incoming connection a schemaRef or set the override; the filter will not start without one.</small>
      ) : (
        <small className="muted" data-testid="filter-schema-used">
          Validates against <code>{used.schemaRef}</code> ({used.source === 'configuration' ? "this node's schemaRef" : `from the connection from ${used.incoming.find((s) => s.schemaRef === used.schemaRef)?.from}`})
        </small>
      )}
    </div>
  );
}
