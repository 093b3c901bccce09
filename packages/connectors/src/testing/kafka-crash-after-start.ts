/**
 * Test helper run as a child process: starts a Kafka source in a group, says
 * "started" once start() resolved, then dies at once with SIGKILL (nothing
 * flushed, no graceful leave), as a crashed runtime would.
 * Usage: tsx kafka-crash-after-start.ts <kafka-url> <topic> <group>
 */
import { sourceFor } from '../endpoints.ts';

const [url, topic, group] = process.argv.slice(2) as [string, string, string];
const source = sourceFor(url, [topic], { groupId: group });
await source.start(async () => {});
process.stdout.write('started\n');
process.kill(process.pid, 'SIGKILL');
