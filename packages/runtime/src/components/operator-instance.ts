import type { Hlc, Operation } from '@wgs/graph-model';
import type { Item } from '../data-model.ts';
import { hostImports, type HostServices } from '../host/imports.ts';
import { hlcFromWit, hlcToWit, itemFromWit, itemToWit, type PayloadPassing, type WitDataModel, type WitHlc } from '../wit-values.ts';
import type { PreparedComponent } from './component-cache.ts';
import type { CallWatch } from '../engine/call-watch.ts';

/** The operator returned `err(error)`: drop the message, keep the instance. */
export class OperatorError extends Error {
  constructor(readonly operation: string, message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}

/** The instance trapped (panic, unreachable, out of memory): it must be re-instantiated. */
export class OperatorTrap extends Error {
  constructor(readonly operation: string, message: string) {
    super(message);
    this.name = 'OperatorTrap';
  }
}

export class InitFailedError extends Error {
  constructor(readonly operation: string, detail: string) {
    super(`operator "${operation}" failed to start: ${detail}`);
    this.name = 'InitFailedError';
  }
}

interface OperatorExports {
  init(configuration: { properties: [string, string][]; moduleSchemas: { name: string; contentType: string; content: string }[] }): boolean;
  process(...args: unknown[]): unknown;
}

let wasiImports: Record<string, unknown> | undefined;
async function wasi(): Promise<Record<string, unknown>> {
  if (!wasiImports) {
    const { WASIShim } = await import('@bytecodealliance/preview2-shim/instantiation');
    // An empty sandbox: no files, no environment, no arguments, no network.
    wasiImports = new WASIShim({ sandbox: { preopens: {}, env: {}, args: [], enableNetwork: false } }).getImportObject() as Record<string, unknown>;
  }
  return wasiImports;
}

/**
 * One operation's component instance. One instance per operation (even when
 * operations share a module): statics in operators are then per operation.
 */
export class OperatorInstance {
  private exports?: OperatorExports;
  private poisoned = false;

  constructor(
    readonly operation: Operation,
    private readonly component: PreparedComponent,
    private readonly properties: [string, string][],
    private readonly services: HostServices,
    private readonly passing: PayloadPassing,
    private readonly moduleSchemas: { name: string; contentType: string; content: string }[] = [],
    /** Set when a watchdog on another thread guards the calls. */
    private readonly watch?: { calls: CallWatch; index: number },
  ) {}

  get name(): string {
    return this.operation.name;
  }

  get needsRestart(): boolean {
    return this.poisoned || !this.exports;
  }

  /** Instantiates and calls `init`. */
  async start(): Promise<void> {
    const kind = this.operation.operationType;
    if (!this.component.exportedKinds.includes(kind)) {
      const has = this.component.exportedKinds.join(', ') || 'no operator interface';
      throw new InitFailedError(this.name, `module ${this.operation.module} does not export a ${kind} operator (it exports ${has})`);
    }
    const imports: Record<string, unknown> = hostImports(this.services);
    if (this.component.imports.some((i) => i.startsWith('wasi:'))) Object.assign(imports, await wasi());
    let instance: Record<string, unknown>;
    try {
      instance = await this.component.instantiate(imports);
    } catch (e) {
      throw new InitFailedError(this.name, `instantiation failed: ${(e as Error).message}`);
    }
    const exports = instance[kind] as OperatorExports | undefined;
    if (!exports) throw new InitFailedError(this.name, `no ${kind} export after instantiation`);
    let ok: boolean;
    this.watch?.calls.begin(this.watch.index);
    try {
      ok = exports.init({ properties: this.properties, moduleSchemas: this.moduleSchemas });
    } catch (e) {
      throw new InitFailedError(this.name, `init trapped: ${(e as Error).message}`);
    } finally {
      this.watch?.calls.end();
    }
    if (!ok) throw new InitFailedError(this.name, 'init returned false (check its configuration)');
    this.exports = exports;
    this.poisoned = false;
  }

  private call<T>(args: unknown[]): T {
    if (!this.exports || this.poisoned) throw new OperatorTrap(this.name, 'instance is not running (restarting after a trap)');
    this.watch?.calls.begin(this.watch.index);
    try {
      return this.exports.process(...args) as T;
    } catch (e) {
      const payload = (e as { payload?: { message?: string } }).payload;
      if (payload && typeof payload.message === 'string') throw new OperatorError(this.name, payload.message);
      this.poisoned = true;
      throw new OperatorTrap(this.name, `trap: ${(e as Error).message ?? String(e)}`);
    } finally {
      this.watch?.calls.end();
    }
  }

  map(item: Item): Item {
    return itemFromWit(this.call<WitDataModel>([itemToWit(item, this.passing)]), item.timestamp);
  }

  filter(item: Item): boolean {
    return this.call<boolean>([itemToWit(item, this.passing)]);
  }

  branch(item: Item): boolean {
    return this.call<boolean>([hlcToWit(item.timestamp), itemToWit(item, this.passing)]);
  }

  accumulate(staged: Item, items: Item[]): Item {
    const result = this.call<WitDataModel>([itemToWit(staged, this.passing), items.map((i) => itemToWit(i, this.passing))]);
    return itemFromWit(result, staged.timestamp);
  }

  delay(item: Item): Hlc {
    return hlcFromWit(this.call<WitHlc>([itemToWit(item, this.passing), hlcToWit(item.timestamp)]));
  }
}
