import { API_VERSION, type ResourceStore } from '@wgs/cluster-store';

/**
 * What the reference creates at deployment and users expect to find: the
 * `default` data flow endpoint (here: the embedded broker) and a registry
 * endpoint for the embedded registry. Created only when absent.
 */
export async function ensureDefaults(store: ResourceStore, brokerUrl: string | undefined): Promise<void> {
  const host = brokerUrl ? new URL(brokerUrl).host : 'localhost:1883';
  if (!(await store.get('DataflowEndpoint', 'default'))) {
    await store.create({
      apiVersion: API_VERSION,
      kind: 'DataflowEndpoint',
      metadata: { name: 'default', annotations: { 'wgs.dev/description': 'the embedded MQTT broker' } },
      spec: { endpointType: 'Mqtt', mqttSettings: { host, authentication: { method: 'Anonymous' }, tls: { mode: 'Disabled' } } },
    });
  }
  if (!(await store.get('RegistryEndpoint', 'embedded'))) {
    await store.create({
      apiVersion: API_VERSION,
      kind: 'RegistryEndpoint',
      metadata: { name: 'embedded', annotations: { 'wgs.dev/description': 'the embedded registry with the sample graphs and modules' } },
      spec: { host: 'embedded.wgs.local', authentication: { method: 'Anonymous', anonymousSettings: {} } },
    });
  }
}
