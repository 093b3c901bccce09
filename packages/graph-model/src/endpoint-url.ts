/**
 * The broker URL a DataflowEndpoint names, in the form the connectors take
 * (`mqtt://`, `mqtts://`, `kafka://`), or why it cannot be read: the
 * connectors speak MQTT and plain, anonymous Kafka.
 */
export type EndpointUrl = { url: string } | { error: string; code: 'unsupported-endpoint' | 'bad-request' };

interface EndpointSpecLike {
  endpointType?: string;
  mqttSettings?: { host?: string; tls?: { mode?: string } };
  kafkaSettings?: { host?: string; tls?: { mode?: string }; authentication?: { method?: string } };
}

/** `fallbackMqttHost`: the host an MQTT endpoint without one means (the embedded broker). */
export function endpointBrokerUrl(name: string, spec: EndpointSpecLike, fallbackMqttHost?: string): EndpointUrl {
  if (spec.endpointType === 'Kafka') {
    const k = spec.kafkaSettings;
    if (!k?.host) return { error: `endpoint "${name}" has no kafkaSettings.host`, code: 'bad-request' };
    if (k.tls?.mode === 'Enabled' || (k.authentication?.method && k.authentication.method !== 'Anonymous')) {
      return { error: `endpoint "${name}" needs TLS or ${k.authentication?.method ?? 'SASL'} authentication; only plain, anonymous Kafka endpoints are supported`, code: 'unsupported-endpoint' };
    }
    return { url: `kafka://${k.host}` };
  }
  if (spec.endpointType !== 'Mqtt') {
    return { error: `endpoint "${name}" is ${spec.endpointType ?? 'of no type'}; MQTT and Kafka endpoints are supported`, code: 'unsupported-endpoint' };
  }
  const host = spec.mqttSettings?.host ?? fallbackMqttHost;
  if (!host) return { error: `endpoint "${name}" has no mqttSettings.host`, code: 'bad-request' };
  return { url: `${spec.mqttSettings?.tls?.mode === 'Enabled' ? 'mqtts' : 'mqtt'}://${host}` };
}
