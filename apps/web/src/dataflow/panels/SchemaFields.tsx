import type { Document } from 'yaml';

/** The message schema a connection carries (reference §4.2: `from.schema`). */
export interface SchemaValue {
  schemaRef: string;
  format: string;
}

const FORMATS = ['Json', 'Avro', 'Delta', 'Parquet'];

/** Writes `from.schema` at `at` (…nodeConnections[i].from); both blank removes it. */
export function writeSchema(doc: Document, at: (string | number)[], { schemaRef, format }: SchemaValue): void {
  const ref = schemaRef.trim();
  if (!ref && !format) return void doc.deleteIn([...at, 'schema']);
  doc.setIn([...at, 'schema'], doc.createNode({ ...(ref ? { schemaRef: ref } : {}), ...(format ? { serializationFormat: format } : {}) }));
}

/** Schema reference and serialization format inputs. */
export function SchemaFields({ value, onChange, label, testId }: { value: SchemaValue; onChange(v: SchemaValue): void; label: string; testId: string }) {
  return (
    <>
      <label className="field"><span>{label}</span>
        <input data-testid={testId} value={value.schemaRef} placeholder="aio-sr://namespace/name:1" onChange={(e) => onChange({ ...value, schemaRef: e.target.value })} />
      </label>
      <label className="field"><span>Format</span>
        <select value={value.format} onChange={(e) => onChange({ ...value, format: e.target.value })}>
          <option value="">(none)</option>
          {FORMATS.map((f) => <option key={f}>{f}</option>)}
        </select>
      </label>
    </>
  );
}
