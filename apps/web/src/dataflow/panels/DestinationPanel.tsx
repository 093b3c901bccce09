import { useEffect, useState } from 'react';
import type { DestinationNode } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { editManifest, nodeIndex } from '../manifest.ts';
import { EndpointSelect, useEndpointType } from './EndpointSelect.tsx';
import { useApplyOnLeave } from './useApplyOnLeave.ts';

/** Destination details: endpoint, then the topic (or destination, depending on the endpoint type). */
export function DestinationPanel({ node }: { node: DestinationNode }) {
  const [endpoint, setEndpoint] = useState(node.destinationSettings?.endpointRef ?? '');
  const [destination, setDestination] = useState(node.destinationSettings?.dataDestination ?? '');
  useEffect(() => {
    setEndpoint(node.destinationSettings?.endpointRef ?? '');
    setDestination(node.destinationSettings?.dataDestination ?? '');
  }, [node]);
  const type = useEndpointType(endpoint);
  const label = type === 'Mqtt' || type === 'Kafka' ? 'Topic' : 'Destination';
  const apply = () => useDataflow.getState().edit((text) => editManifest(text, (doc) => {
    const at = ['spec', 'nodes', nodeIndex(doc, node.name), 'destinationSettings'];
    doc.setIn([...at, 'endpointRef'], endpoint);
    doc.setIn([...at, 'dataDestination'], destination.trim());
  }));
  const leave = useApplyOnLeave(apply);
  return (
    <div className="panel-form" data-testid="destination-panel" onChange={leave.onChange} onClick={leave.onClick} onBlur={leave.onBlur}>
      <EndpointSelect value={endpoint} onChange={setEndpoint} role="destination" />
      <label className="field"><span>{label}</span>
        <input data-testid="destination-topic" value={destination} placeholder={type === 'Kafka' ? 'kafka-topic' : 'sensor/processed'} onChange={(e) => setDestination(e.target.value)} />
      </label>
      <button className="primary" data-testid="apply-destination" onClick={leave.applyNow}>Apply</button>
    </div>
  );
}
