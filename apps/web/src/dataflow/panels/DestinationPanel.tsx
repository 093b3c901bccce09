import type { DestinationNode } from '@wgs/graph-model';
import { editManifest, nodeIndex } from '../manifest.ts';
import { EndpointSelect, useEndpointType } from './EndpointSelect.tsx';
import { useLiveDraft } from './useLiveDraft.ts';

/** Destination details: endpoint, then the topic (or destination, depending on the endpoint type). */
export function DestinationPanel({ node }: { node: DestinationNode }) {
  const current = { endpoint: node.destinationSettings?.endpointRef ?? '', destination: node.destinationSettings?.dataDestination ?? '' };
  const [draft, update] = useLiveDraft(current, `destination:${node.name}`, (text, d) => editManifest(text, (doc) => {
    const at = ['spec', 'nodes', nodeIndex(doc, node.name), 'destinationSettings'];
    doc.setIn([...at, 'endpointRef'], d.endpoint);
    doc.setIn([...at, 'dataDestination'], d.destination.trim());
  }));
  const type = useEndpointType(draft.endpoint);
  const label = type === 'Mqtt' || type === 'Kafka' ? 'Topic' : 'Destination';
  return (
    <div className="panel-form" data-testid="destination-panel">
      <EndpointSelect value={draft.endpoint} onChange={(endpoint) => update('endpoint', { ...draft, endpoint })} role="destination" />
      <label className="field"><span>{label}</span>
        <input data-testid="destination-topic" value={draft.destination} placeholder={type === 'Kafka' ? 'kafka-topic' : 'sensor/processed'}
          onChange={(e) => update('destination', { ...draft, destination: e.target.value })} />
      </label>
    </div>
  );
}
