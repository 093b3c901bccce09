/**
 * A bare mqtt.js relay (the floor for any Node.js relay): subscribes to
 * <in>, converts the temperature payload with the same JS as the benchmark's
 * reference (lib/temperature.ts), publishes to <out> with the user
 * properties. Run by bench/relay-compare.ts in its own process so that its
 * CPU time can be read from /proc.
 *
 *   node --import tsx bench/lib/relay-child.ts <url> <qos> <in> <out>
 */
import { connectClient } from './mqtt-client.ts';
import { convertPayload } from './temperature.ts';

const [url, qosArg, input, output] = process.argv.slice(2);
if (!url || !input || !output) throw new Error('usage: relay-child.ts <url> <qos> <in> <out>');
const qos = qosArg === '0' ? 0 : 1;

const { client } = await connectClient(url, `wgs-bench-relay-${process.pid}`);
client.on('error', (e) => console.error(`relay: ${e.message}`));
client.on('message', (_topic, payload, packet) => {
  const userProperties = packet.properties?.userProperties as Record<string, string> | undefined;
  client.publish(output, Buffer.from(convertPayload(payload)), { qos, properties: userProperties ? { userProperties } : {} }, () => {});
});
await client.subscribeAsync(input, { qos });
console.log('ready');
process.on('SIGTERM', () => void client.endAsync(true).then(() => process.exit(0)));
