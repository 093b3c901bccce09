/**
 * Node-RED (the pinned devDependency), headless: no editor, no admin or HTTP
 * node routes, a fresh user dir, and one flow
 *
 *   mqtt in <in> (QoS q, MQTT 5, buffer) -> function (F -> C) -> mqtt out <out> (QoS q)
 *
 * on the benchmark's broker. The function does what lib/temperature.ts does
 * (same output bytes). Run by bench/relay-compare.ts in its own process so
 * that its CPU time can be read from /proc.
 *
 *   node --import tsx bench/lib/nodered-child.ts <url> <qos> <in> <out>
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, qosArg, input, output] = process.argv.slice(2);
if (!url || !input || !output) throw new Error('usage: nodered-child.ts <url> <qos> <in> <out>');
const qos = qosArg === '0' ? '0' : '1';
const { hostname, port } = new URL(url);

/** The temperature map as a function node body (lib/temperature.ts, convertPayload + serialize). */
const FUNCTION = `
const f64 = (x) => (Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x));
const t = JSON.parse(msg.payload.toString()).temperature;
if (!t || t.unit !== 'F') return msg;
if (typeof t.value !== 'number') throw new Error('temperature without value');
const v = ((t.value - 32) * 5) / 9;
msg.payload = Buffer.from('{"temperature":{"value":' + f64(v) + ',"count":' + Math.trunc(t.count ?? 0) + ',"max":' + f64(t.max ?? 0)
  + ',"min":' + f64(t.min ?? 0) + ',"average":' + f64(t.average ?? 0) + ',"last":' + f64(t.last ?? 0) + ',"unit":"C","overtemp":'
  + (t.overtemp ? 'true' : 'false') + '}}');
return msg;
`;

const flow = [
  { id: 'tab', type: 'tab', label: 'bench' },
  { id: 'broker', type: 'mqtt-broker', name: 'bench', broker: hostname, port, clientid: `wgs-bench-nodered-${process.pid}`, autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '60', cleansession: true, autoUnsubscribe: true },
  { id: 'in', type: 'mqtt in', z: 'tab', name: '', topic: input, qos, datatype: 'buffer', broker: 'broker', nl: false, rap: true, rh: 0, inputs: 0, wires: [['fn']] },
  { id: 'fn', type: 'function', z: 'tab', name: 'F to C', func: FUNCTION, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['out']] },
  { id: 'out', type: 'mqtt out', z: 'tab', name: '', topic: output, qos, retain: 'false', broker: 'broker', wires: [] },
];

const userDir = mkdtempSync(join(tmpdir(), 'wgs-bench-nodered-'));
writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flow));
const RED = createRequire(import.meta.url)('node-red') as {
  init(server: unknown, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  version(): string;
};
RED.init(createServer(), {
  userDir,
  flowFile: 'flows.json',
  credentialSecret: false,
  httpAdminRoot: false,
  httpNodeRoot: false,
  disableEditor: true,
  logging: { console: { level: 'warn', metrics: false, audit: false } },
  editorTheme: { projects: { enabled: false } },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
});
await RED.start();
console.log(`ready node-red ${RED.version()}`);
process.on('SIGTERM', () => {
  void RED.stop().finally(() => {
    rmSync(userDir, { recursive: true, force: true });
    process.exit(0);
  });
});
