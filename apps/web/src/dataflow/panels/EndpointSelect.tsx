import { useDataflow } from '../store.ts';

// Reference §4.2: graphs take MQTT, Kafka and OpenTelemetry endpoints; OpenTelemetry only as a destination.
const USABLE: Record<'source' | 'destination', string[]> = { source: ['Mqtt', 'Kafka'], destination: ['Mqtt', 'Kafka', 'OpenTelemetry'] };

/** The DataflowEndpoints the store holds, the ones this role cannot use disabled with the reason. */
export function EndpointSelect({ value, onChange, role }: { value: string; onChange(v: string): void; role: 'source' | 'destination' }) {
  const endpoints = useDataflow((s) => s.context.endpoints);
  const known = endpoints.some((e) => e.metadata.name === value);
  return (
    <label className="field">
      <span>Endpoint</span>
      <select data-testid={`${role}-endpoint`} value={value} onChange={(e) => onChange(e.target.value)}>
        {!known && <option value={value}>{value || '(choose)'}{value ? ' (not found)' : ''}</option>}
        {endpoints.map((e) => {
          const type = e.spec.endpointType;
          const ok = USABLE[role].includes(type);
          return <option key={e.metadata.name} value={e.metadata.name} disabled={!ok}>{e.metadata.name} ({type}{ok ? '' : `: not usable as a ${role}`})</option>;
        })}
      </select>
    </label>
  );
}

/** The endpoint type behind a name ('' when unknown). */
export function useEndpointType(name: string): string {
  return useDataflow((s) => s.context.endpoints.find((e) => e.metadata.name === name)?.spec.endpointType ?? '');
}
