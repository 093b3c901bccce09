/**
 * Summarises a V8 .cpuprofile (node --cpu-prof, WGS_WORKER_CPU_PROF): self
 * time per function and per area (jco glue, WebAssembly, runtime files,
 * mqtt.js, Node internals, GC), optionally as µs per message.
 *
 *   pnpm exec tsx bench/lib/profile-summary.ts <file.cpuprofile> [messages] [top]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fmt, table } from './stats.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the system a frame belongs to. */
export function area(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'program (native, unattributed)';
  if (url.startsWith('wasm://') || fn.startsWith('$') || fn.startsWith('wasm-function')) return 'WebAssembly (operator code)';
  if (/components\/[^/]+\/[0-9a-f]{64}\/component\.mjs|component\.mjs$/.test(url)) return 'jco glue (component.mjs)';
  if (url.includes('/mqtt-packet/')) return 'mqtt-packet (encode/decode)';
  if (url.includes('/mqtt/')) return 'mqtt.js client';
  if (url.includes('/packages/runtime/src/')) return `runtime ${url.slice(url.indexOf('/packages/runtime/src/') + 22)}`;
  if (url.includes('/packages/connectors/src/')) return `connectors ${url.slice(url.indexOf('/packages/connectors/src/') + 25)}`;
  if (url.includes('/packages/graph-model/')) return 'graph-model';
  if (url.includes('/apps/cli/')) return 'cli';
  if (url.startsWith('node:internal/worker') || url.includes('internal/per_context/messageport')) return 'node worker messaging';
  if (url.startsWith('node:internal/streams') || url.startsWith('node:internal/stream_base') || url.startsWith('node:net')) return 'node streams/net';
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url.includes('/node_modules/')) return `npm ${url.split('/node_modules/').pop()!.split('/')[0]}`;
  if (!url) return fn ? `native ${fn}` : 'native';
  return basename(url);
}

export function summarise(file: string, messages?: number, top = 40): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = p.endTime - p.startTime;
  const fns = new Map<string, { us: number; area: string }>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${basename(url)}:${lineNumber + 1}` : ''}`.trim();
    const a = area(url, functionName);
    const f = fns.get(key) ?? { us: 0, area: a };
    f.us += us;
    fns.set(key, f);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const busy = total - (areas.get('idle') ?? 0);
  const per = (us: number) => (messages ? fmt(us / messages, 2) : '-');
  const pct = (us: number) => `${fmt((100 * us) / busy, 1)} %`;
  const out: string[] = [];
  out.push(`${file}: ${fmt(total / 1000, 0)} ms profiled, ${fmt(busy / 1000, 0)} ms busy${messages ? `, ${messages.toLocaleString('en-US')} messages: ${fmt(busy / messages, 2)} µs/msg busy` : ''}`);
  out.push(table([['area', 'self ms', 'share of busy', 'µs/msg'], ...[...areas].filter(([a]) => a !== 'idle').sort((a, b) => b[1] - a[1]).map(([a, us]) => [a, fmt(us / 1000, 0), pct(us), per(us)])]));
  out.push('');
  out.push(table([['function', 'area', 'self ms', 'share', 'µs/msg'], ...[...fns].filter(([, f]) => f.area !== 'idle').sort((a, b) => b[1].us - a[1].us).slice(0, top).map(([k, f]) => [k.slice(0, 80), f.area, fmt(f.us / 1000, 0), pct(f.us), per(f.us)])]));
  return out.join('\n');
}

const [file, messages, top] = process.argv.slice(2);
if (file && process.argv[1]?.endsWith('profile-summary.ts')) console.log(summarise(file, messages ? Number(messages) : undefined, top ? Number(top) : undefined));
