import { hlcFromMillis, type HybridClock, type RegistrySchema } from '@wgs/graph-model';
import { hlcFromWit, hlcToWit, type WitHlc } from '../wit-values.ts';
import { HostBuffer } from './buffer.ts';
import { liftBytes } from './lift-slab.ts';
import type { MetricsRegistry } from './metrics.ts';
import type { SetCondition, StateStore } from './state-store.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

/** A schema the run's schema registry serves (declared in graph-model). */
export type LocalSchema = RegistrySchema;

/** What the host gives one operation's component instance. */
export interface HostServices {
  operation: string;
  log(level: LogLevel, context: string, message: string): void;
  metrics: MetricsRegistry;
  stateStore: StateStore;
  schemas: LocalSchema[];
  clock: HybridClock;
}

type WitDuration = { seconds: bigint; nanos: number };
type Label = { key: string; value: string };

const versionOut = (v: ReturnType<StateStore['get']>['version']) => (v ? hlcToWit(v) : undefined);
const tokenIn = (t: WitHlc | undefined) => (t ? hlcFromWit(t) : undefined);

/** An RPC client is not wired yet: every invoker call reports it. */
class Unavailable {
  constructor() {}
  private fail(): never {
    throw { tag: 'client-error' };
  }
  payload() { return this.fail(); }
  customUserData() { return this.fail(); }
  topicTokens() { return this.fail(); }
  timeout() { return this.fail(); }
  build() { return this.fail(); }
  requestTopicPattern() { return this.fail(); }
  responseTopicPattern() { return this.fail(); }
  commandName() { return this.fail(); }
  topicNamespace() { return this.fail(); }
  topicTokenMap() { return this.fail(); }
  responseTopicPrefix() { return this.fail(); }
  responseTopicSuffix() { return this.fail(); }
  invoke() { return this.fail(); }
}

/** Import object keyed the way jco's glue reads it (unversioned interface names). */
export function hostImports(h: HostServices): Record<string, Record<string, unknown>> {
  const labelsOf = (labels: Label[] | undefined) => {
    const out: Record<string, string> = { operation: h.operation };
    for (const l of labels ?? []) out[l.key] = l.value;
    return out;
  };
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      // A host import must throw the variant payload, never an Error (that traps).
      if (e && typeof e === 'object' && 'tag' in e) throw e;
      throw { tag: 'request-error', val: e instanceof Error ? e.message : String(e) };
    }
  };
  // Counter series by name and labels as the guest passes them (in its order): after the first
  // call, one per message costs a string key and a Map look-up (no label object, no sorting).
  const counters = new Map<string, { value: number }>();
  const counterKey = (name: string, labels: Label[] | undefined) => {
    let key = name;
    if (labels) for (const l of labels) key += `\u0001${l.key}\u0002${l.value}`;
    return key;
  };
  return {
    // Not a WIT interface: read by the lean glue only (component-cache.ts), ignored by jco's.
    'wgs:runtime': { liftBytes },
    'wasm-graph:processor/types': { Buffer: HostBuffer },
    'wasm-graph:processor/hybrid-logical-clock': {},
    'wasm-graph:processor/state-store-types': {},
    'wasm-graph:processor/schema-types': {},
    'wasm-graph:processor/rpc-types': {},
    'wasm-graph:processor/logger': {
      log: (level: LogLevel, context: string, message: string) => h.log(level, context, message),
    },
    'wasm-graph:processor/metrics': {
      addToCounter: (name: string, value: { tag: 'u64'; val: bigint }, labels?: Label[]) => {
        const key = counterKey(name, labels);
        let series = counters.get(key);
        if (!series) {
          try {
            series = h.metrics.counter(name, labelsOf(labels));
          } catch (e) {
            throw { tag: 'incompatible-type', val: (e as Error).message };
          }
          counters.set(key, series);
        }
        series.value += Number(value.val);
      },
      recordToHistogram: (name: string, value: { tag: 'f64' | 'u64'; val: number | bigint }, labels?: Label[]) => {
        try {
          h.metrics.recordToHistogram(name, Number(value.val), labelsOf(labels));
        } catch (e) {
          throw { tag: 'incompatible-type', val: (e as Error).message };
        }
      },
    },
    'wasm-graph:processor/state-store': {
      get: (key: Uint8Array, _timeout?: WitDuration) => guard(() => {
        const r = h.stateStore.get(key);
        return { response: r.response, version: versionOut(r.version) };
      }),
      set: (key: Uint8Array, value: Uint8Array, _timeout: WitDuration | undefined, fencingToken: WitHlc | undefined,
        options: { conditions: SetCondition; expires?: WitDuration }) => guard(() => {
        const expiresMs = options.expires ? Number(options.expires.seconds) * 1000 + options.expires.nanos / 1e6 : undefined;
        const r = h.stateStore.set(key, value, { condition: options.conditions, expiresMs, fencingToken: tokenIn(fencingToken) });
        return { response: r.response, version: versionOut(r.version) };
      }),
      del: (key: Uint8Array, fencingToken?: WitHlc) => guard(() => {
        const r = h.stateStore.del(key, tokenIn(fencingToken));
        return { response: r.response, version: versionOut(r.version) };
      }),
      vdel: (key: Uint8Array, value: Uint8Array, fencingToken?: WitHlc) => guard(() => {
        const r = h.stateStore.vdel(key, value, tokenIn(fencingToken));
        return { response: r.response, version: versionOut(r.version) };
      }),
    },
    'wasm-graph:processor/schema-registry': {
      get: (id: string, version: string) => {
        const s = h.schemas.find((x) => (x.name === id || `${x.namespace}/${x.name}` === id) && (!version || x.version === version));
        if (!s) throw { tag: 'not-found' };
        return {
          description: s.description,
          displayName: s.name,
          format: { tag: s.format },
          hash: undefined,
          name: s.name,
          namespace: s.namespace,
          schemaContent: s.content,
          schemaType: { tag: 'message-schema' },
          tags: [],
          version: s.version,
        };
      },
    },
    'wasm-graph:processor/command-invoker': {
      CommandRequest: Unavailable,
      CommandRequestBuilder: Unavailable,
      CommandInvokerOptions: Unavailable,
      CommandInvokerOptionsBuilder: Unavailable,
      CommandInvoker: Unavailable,
      newInvoker: () => {
        throw { tag: 'client-error' };
      },
    },
  };
}

export { hlcFromMillis };
