/**
 * The temperature map operator (packages/operators/rust/temperature) as plain
 * JavaScript: parse the JSON, convert °F to °C, serialize the way serde_json
 * serializes `Measurement::Temperature` (same field order, f64 as `653.0`).
 */
import type { MessageItem } from '../../packages/runtime/src/index.ts';

export const SAMPLE_JSON = '{"temperature":{"value":1209,"unit":"F"}}';

interface Temperature {
  value?: number;
  count?: number;
  max?: number;
  min?: number;
  average?: number;
  last?: number;
  unit: 'C' | 'F';
  overtemp?: boolean;
}

/** serde_json/ryu style: integral floats keep a `.0`. */
function f64(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
}

function serialize(t: Temperature): string {
  const value = t.value === undefined ? '' : `"value":${f64(t.value)},`;
  return `{"temperature":{${value}"count":${Math.trunc(t.count ?? 0)},"max":${f64(t.max ?? 0)},"min":${f64(t.min ?? 0)},"average":${f64(t.average ?? 0)},"last":${f64(t.last ?? 0)},"unit":"${t.unit}","overtemp":${t.overtemp ? 'true' : 'false'}}}`;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Payload bytes in, converted payload bytes out (unchanged when already Celsius). */
export function convertPayload(payload: Uint8Array): Uint8Array {
  const m = JSON.parse(decoder.decode(payload)) as { temperature?: Temperature };
  const t = m.temperature;
  if (!t || t.unit !== 'F') return payload;
  if (typeof t.value !== 'number') throw new Error('temperature without value');
  return encoder.encode(serialize({ ...t, value: ((t.value - 32) * 5) / 9, unit: 'C' }));
}

/** The whole operator on a runtime item, like OperatorInstance.map (new item, copied topic). */
export function jsTemperatureMap(item: MessageItem): MessageItem {
  return {
    kind: 'message',
    timestamp: item.timestamp,
    topic: item.topic.slice(),
    contentType: item.contentType,
    payload: convertPayload(item.payload),
    userProperties: item.userProperties.map(([k, v]): [string, string] => [k, k === 'test_property_key' ? 'new_value' : v]),
  };
}

/** What the operator makes of SAMPLE_JSON. */
export const EXPECTED_JSON = decoder.decode(convertPayload(encoder.encode(SAMPLE_JSON)));
