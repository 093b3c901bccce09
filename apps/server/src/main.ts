/** `pnpm start`: the designer's backend with its embedded broker, registry and store. */
import { fileURLToPath } from 'node:url';
import { SIMULATOR_TOPICS, startSimulator } from '@wgs/connectors';
import { join } from 'node:path';
import { startPersistentMosquitto } from '@wgs/connectors/testing';
import { embeddedRegistryDir } from '@wgs/registry';
import { buildApp } from './app.ts';
import { defaultConfig, loadToken, STATE_DIR } from './config.ts';
import { startupLines } from './startup-lines.ts';
import { openStores } from './stores.ts';

const { token, generated, from } = await loadToken(STATE_DIR);
/** A few camera frames shipped in the repository (nothing outside it is read at run time). */
const SAMPLE_FRAMES_DIR = fileURLToPath(new URL('../../../packages/operators/frames', import.meta.url));
// The embedded broker: a local Mosquitto on 1883 (another free port when taken), usable by any MQTT client.
// Persistent (.wgs/mosquitto): durable sessions and their queued messages survive a restart of `pnpm start`.
const broker = process.env.WGS_BROKER_URL ? undefined : await startPersistentMosquitto({ preferredPort: 1883, persistenceDir: join(STATE_DIR, 'mosquitto') });
const config = defaultConfig({ token, brokerUrl: process.env.WGS_BROKER_URL ?? broker!.url });
const { store, cluster, schemas, warning } = await openStores(config);
if (warning) console.warn(`warning: ${warning}`);
let simulating = false;
const app = await buildApp(config, { store, cluster, schemas, registryDir: embeddedRegistryDir(), simulatorTopics: () => (simulating ? Object.values(SIMULATOR_TOPICS) : []) });
await app.listen({ host: config.host, port: config.port });
const { port } = app.server.address() as { port: number };
for (const line of startupLines({ host: config.host, port, token, generated, from })) console.log(line);
console.log(`embedded broker ${config.brokerUrl}; graphs stored in ${store.description}`);

// Sample data on the reference walkthrough's topics, so a preview shows something at once.
const simulator = broker && process.env.WGS_SIMULATOR !== 'off'
  ? await startSimulator({ url: broker.url, imagesDir: SAMPLE_FRAMES_DIR })
  : undefined;
simulating = !!simulator;
if (simulator) console.log(`simulator publishing to ${Object.values(SIMULATOR_TOPICS).join(', ')} (WGS_SIMULATOR=off to stop it)`);

const shutdown = async () => {
  await simulator?.stop();
  await app.close();
  await broker?.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
