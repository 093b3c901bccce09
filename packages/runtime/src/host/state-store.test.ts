import { compareHlc, hlcFromMillis, HybridClock, type Hlc } from '@wgs/graph-model';
import { beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from './state-store.ts';

const b = (s: string) => Buffer.from(s, 'utf8');
const text = (v: Uint8Array | undefined) => (v === undefined ? undefined : Buffer.from(v).toString('utf8'));
const token = (ms: number, counter = 0n): Hlc => hlcFromMillis(ms, counter, 'lock-owner');

/** A store whose clock and expiry both read a time the test controls. */
function makeStore(start = 1_000_000) {
  const time = { now: start };
  const clock = new HybridClock('test', () => time.now);
  const store = new StateStore(clock, () => time.now);
  return { store, time };
}

describe('StateStore get/set/del', () => {
  let store: StateStore;
  beforeEach(() => {
    store = makeStore().store;
  });

  it('returns nothing for an absent key', () => {
    const r = store.get(b('missing'));
    expect(r.response).toBeUndefined();
    expect(r.version).toBeUndefined();
  });

  it('stores and returns a value with its version', () => {
    const set = store.set(b('k'), b('v1'), { condition: 'unconditional' });
    expect(set.response).toBe(true);
    expect(set.version).toBeDefined();
    const got = store.get(b('k'));
    expect(text(got.response)).toBe('v1');
    expect(got.version).toEqual(set.version);
  });

  it('keeps a copy of the value, not a view of the caller buffer', () => {
    const value = b('abc');
    store.set(b('k'), value, { condition: 'unconditional' });
    value[0] = 0x7a; // 'z'
    expect(text(store.get(b('k')).response)).toBe('abc');
  });

  it('overwrites unconditionally', () => {
    store.set(b('k'), b('v1'), { condition: 'unconditional' });
    expect(store.set(b('k'), b('v2'), { condition: 'unconditional' }).response).toBe(true);
    expect(text(store.get(b('k')).response)).toBe('v2');
  });

  it('treats keys as bytes (non-UTF-8 keys are distinct and round-trip)', () => {
    store.set(new Uint8Array([0xff, 0x00]), b('a'), { condition: 'unconditional' });
    store.set(new Uint8Array([0xfe, 0x00]), b('b'), { condition: 'unconditional' });
    expect(text(store.get(new Uint8Array([0xff, 0x00])).response)).toBe('a');
    expect(text(store.get(new Uint8Array([0xfe, 0x00])).response)).toBe('b');
    expect(store.get(new Uint8Array([0xff])).response).toBeUndefined();
  });

  it('del returns 1n when it deleted and 0n when the key was absent', () => {
    store.set(b('k'), b('v'), { condition: 'unconditional' });
    const first = store.del(b('k'));
    expect(first.response).toBe(1n);
    expect(first.version).toBeDefined();
    expect(store.get(b('k')).response).toBeUndefined();
    const second = store.del(b('k'));
    expect(second.response).toBe(0n);
    expect(second.version).toBeUndefined();
  });

  it('vdel deletes only on a matching value: 1n deleted, -1n mismatch, 0n absent', () => {
    store.set(b('lock'), b('module2'), { condition: 'unconditional' });
    const mismatch = store.vdel(b('lock'), b('module1'));
    expect(mismatch.response).toBe(-1n);
    expect(mismatch.version).toBeUndefined();
    expect(text(store.get(b('lock')).response)).toBe('module2');

    const deleted = store.vdel(b('lock'), b('module2'));
    expect(deleted.response).toBe(1n);
    expect(deleted.version).toBeDefined();
    expect(store.get(b('lock')).response).toBeUndefined();

    expect(store.vdel(b('lock'), b('module2')).response).toBe(0n);
  });

  it('vdel compares whole values (a prefix is a mismatch)', () => {
    store.set(b('k'), b('module2'), { condition: 'unconditional' });
    expect(store.vdel(b('k'), b('module')).response).toBe(-1n);
    expect(store.vdel(b('k'), b('module22')).response).toBe(-1n);
  });

  it('issues strictly increasing versions, also within the same millisecond', () => {
    const v1 = store.set(b('a'), b('1'), { condition: 'unconditional' }).version!;
    const v2 = store.set(b('a'), b('2'), { condition: 'unconditional' }).version!;
    const v3 = store.set(b('b'), b('3'), { condition: 'unconditional' }).version!;
    const v4 = store.del(b('a')).version!;
    expect(compareHlc(v2, v1)).toBeGreaterThan(0);
    expect(compareHlc(v3, v2)).toBeGreaterThan(0);
    expect(compareHlc(v4, v3)).toBeGreaterThan(0);
    expect(store.get(b('b')).version).toEqual(v3);
  });
});

describe('StateStore set conditions', () => {
  let store: StateStore;
  beforeEach(() => {
    store = makeStore().store;
  });

  it('only-if-does-not-exist writes an absent key and refuses an existing one', () => {
    const first = store.set(b('k'), b('v1'), { condition: 'only-if-does-not-exist' });
    expect(first.response).toBe(true);
    const second = store.set(b('k'), b('v1'), { condition: 'only-if-does-not-exist' });
    expect(second.response).toBe(false);
    expect(second.version).toBeUndefined();
    expect(text(store.get(b('k')).response)).toBe('v1');
    expect(store.get(b('k')).version).toEqual(first.version);
  });

  it('only-if-equal-or-does-not-exist writes when absent or equal, refuses a different value', () => {
    const first = store.set(b('lock'), b('module2'), { condition: 'only-if-equal-or-does-not-exist' });
    expect(first.response).toBe(true);
    const same = store.set(b('lock'), b('module2'), { condition: 'only-if-equal-or-does-not-exist' });
    expect(same.response).toBe(true);
    expect(compareHlc(same.version!, first.version!)).toBeGreaterThan(0);
    const other = store.set(b('lock'), b('module1'), { condition: 'only-if-equal-or-does-not-exist' });
    expect(other.response).toBe(false);
    expect(other.version).toBeUndefined();
    expect(text(store.get(b('lock')).response)).toBe('module2');
  });
});

describe('StateStore expiry', () => {
  it('a key expires after its duration', () => {
    const { store, time } = makeStore();
    store.set(b('lock'), b('module2'), { condition: 'unconditional', expiresMs: 10_000 });
    time.now += 9_999;
    expect(text(store.get(b('lock')).response)).toBe('module2');
    time.now += 1;
    expect(store.get(b('lock')).response).toBeUndefined();
    expect(store.snapshot()).toEqual([]);
  });

  it('an expired key counts as absent for conditions, del and vdel', () => {
    const { store, time } = makeStore();
    store.set(b('a'), b('x'), { condition: 'unconditional', expiresMs: 100 });
    store.set(b('b'), b('x'), { condition: 'unconditional', expiresMs: 100 });
    store.set(b('c'), b('x'), { condition: 'unconditional', expiresMs: 100 });
    time.now += 100;
    expect(store.set(b('a'), b('y'), { condition: 'only-if-does-not-exist' }).response).toBe(true);
    expect(text(store.get(b('a')).response)).toBe('y');
    expect(store.del(b('b')).response).toBe(0n);
    expect(store.vdel(b('c'), b('x')).response).toBe(0n);
  });

  it('a lock held by another owner becomes free once it expired', () => {
    const { store, time } = makeStore();
    store.set(b('lock'), b('module1'), { condition: 'only-if-equal-or-does-not-exist', expiresMs: 10_000 });
    expect(store.set(b('lock'), b('module2'), { condition: 'only-if-equal-or-does-not-exist' }).response).toBe(false);
    time.now += 10_000;
    expect(store.set(b('lock'), b('module2'), { condition: 'only-if-equal-or-does-not-exist' }).response).toBe(true);
  });

  it('a rewrite without expiry makes the key permanent', () => {
    const { store, time } = makeStore();
    store.set(b('k'), b('v'), { condition: 'unconditional', expiresMs: 10 });
    store.set(b('k'), b('v2'), { condition: 'unconditional' });
    time.now += 1_000_000;
    expect(text(store.get(b('k')).response)).toBe('v2');
  });
});

describe('StateStore fencing tokens', () => {
  let store: StateStore;
  beforeEach(() => {
    store = makeStore().store;
    expect(store.set(b('count'), b('1'), { condition: 'unconditional', fencingToken: token(5_000) }).response).toBe(true);
  });

  it('rejects an older token with a request-error variant (not an Error)', () => {
    let thrown: unknown;
    try {
      store.set(b('count'), b('2'), { condition: 'unconditional', fencingToken: token(4_999) });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).not.toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ tag: 'request-error', val: expect.stringMatching(/older/) });
    expect(text(store.get(b('count')).response)).toBe('1');
  });

  it('an older counter in the same millisecond is older too', () => {
    store.set(b('count'), b('2'), { condition: 'unconditional', fencingToken: token(6_000, 3n) });
    expect(() => store.set(b('count'), b('3'), { condition: 'unconditional', fencingToken: token(6_000, 2n) }))
      .toThrow(expect.objectContaining({ tag: 'request-error' }));
    expect(text(store.get(b('count')).response)).toBe('2');
  });

  it('rejects a write without a token on a protected key', () => {
    expect(() => store.set(b('count'), b('2'), { condition: 'unconditional' }))
      .toThrow(expect.objectContaining({ tag: 'request-error', val: expect.stringMatching(/fencing token required/) }));
    expect(text(store.get(b('count')).response)).toBe('1');
  });

  it('rejects del and vdel without a token or with an older one', () => {
    expect(() => store.del(b('count'))).toThrow(expect.objectContaining({ tag: 'request-error' }));
    expect(() => store.vdel(b('count'), b('1'), token(1_000))).toThrow(expect.objectContaining({ tag: 'request-error' }));
    expect(text(store.get(b('count')).response)).toBe('1');
  });

  it('accepts the same token and a newer one, and the newer one then protects the key', () => {
    expect(store.set(b('count'), b('2'), { condition: 'unconditional', fencingToken: token(5_000) }).response).toBe(true);
    expect(store.set(b('count'), b('3'), { condition: 'unconditional', fencingToken: token(7_000) }).response).toBe(true);
    expect(text(store.get(b('count')).response)).toBe('3');
    // 6000 is newer than the first token but older than the one now protecting the key.
    expect(() => store.set(b('count'), b('4'), { condition: 'unconditional', fencingToken: token(6_000) }))
      .toThrow(expect.objectContaining({ tag: 'request-error' }));
  });

  it('accepts del and vdel with a token that is not older', () => {
    expect(store.vdel(b('count'), b('1'), token(5_000)).response).toBe(1n);
    store.set(b('other'), b('x'), { condition: 'unconditional', fencingToken: token(5_000) });
    expect(store.del(b('other'), token(8_000)).response).toBe(1n);
  });

  it('an unprotected key accepts writes with or without a token', () => {
    expect(store.set(b('free'), b('a'), { condition: 'unconditional' }).response).toBe(true);
    expect(store.set(b('free'), b('b'), { condition: 'unconditional', fencingToken: token(1) }).response).toBe(true);
    // From then on it is protected.
    expect(() => store.set(b('free'), b('c'), { condition: 'unconditional' })).toThrow(expect.objectContaining({ tag: 'request-error' }));
  });
});

describe('StateStore seed, revision and snapshot', () => {
  it('seeds from the reference form [{"factoryId":"factoryA"},{"machineId":"machineA"}]', () => {
    const { store } = makeStore();
    store.seed(JSON.parse('[{"factoryId":"factoryA"},{"machineId":"machineA"}]'));
    expect(text(store.get(b('factoryId')).response)).toBe('factoryA');
    expect(text(store.get(b('machineId')).response)).toBe('machineA');
    expect(store.snapshot()).toEqual([['factoryId', 'factoryA'], ['machineId', 'machineA']]);
  });

  it('seeds from an object; non-string values are stored as JSON text', () => {
    const { store } = makeStore();
    store.seed({ factoryId: 'factoryA', limit: 42, flags: { on: true } });
    expect(text(store.get(b('factoryId')).response)).toBe('factoryA');
    expect(text(store.get(b('limit')).response)).toBe('42');
    expect(text(store.get(b('flags')).response)).toBe('{"on":true}');
  });

  it('rejects a seed that is neither an object nor an array', () => {
    const { store } = makeStore();
    expect(() => store.seed('factoryA')).toThrow(/JSON object or an array/);
    expect(() => store.seed(42)).toThrow(/JSON object or an array/);
    expect(store.snapshot()).toEqual([]);
  });

  it('bumps the revision on every change and only on a change', () => {
    const { store } = makeStore();
    expect(store.revision).toBe(0);
    store.set(b('k'), b('v'), { condition: 'unconditional' });
    expect(store.revision).toBe(1);
    store.get(b('k'));
    store.set(b('k'), b('other'), { condition: 'only-if-does-not-exist' });
    store.set(b('k'), b('other'), { condition: 'only-if-equal-or-does-not-exist' });
    store.vdel(b('k'), b('other'));
    store.del(b('absent'));
    store.snapshot();
    expect(store.revision).toBe(1);
    store.vdel(b('k'), b('v'));
    expect(store.revision).toBe(2);
    store.set(b('k'), b('v'), { condition: 'unconditional' });
    store.del(b('k'));
    expect(store.revision).toBe(4);
    store.seed([{ a: '1' }, { b: '2' }]);
    expect(store.revision).toBe(6);
  });

  it('an expiry bumps the revision once it is due, even when nobody read the key', () => {
    const { store, time } = makeStore();
    store.set(b('keep'), b('1'), { condition: 'unconditional' });
    store.set(b('lock'), b('module2'), { condition: 'unconditional', expiresMs: 10_000 });
    const before = store.revision;
    time.now += 9_999;
    expect(store.revision).toBe(before);
    time.now += 1;
    const after = store.revision;
    expect(after).toBeGreaterThan(before);
    expect(store.revision).toBe(after);
    expect(store.snapshot()).toEqual([['keep', '1']]);
  });

  it('a rejected fenced write does not bump the revision', () => {
    const { store } = makeStore();
    store.set(b('k'), b('v'), { condition: 'unconditional', fencingToken: token(10) });
    const before = store.revision;
    expect(() => store.set(b('k'), b('w'), { condition: 'unconditional' })).toThrow();
    expect(store.revision).toBe(before);
  });

  it('snapshot lists live pairs as UTF-8 text in insertion order', () => {
    const { store, time } = makeStore();
    store.set(b('temp'), b('21.5 °C'), { condition: 'unconditional' });
    store.set(b('short'), b('gone soon'), { condition: 'unconditional', expiresMs: 5 });
    store.set(b('überKey'), b('x'), { condition: 'unconditional' });
    expect(store.snapshot()).toEqual([['temp', '21.5 °C'], ['short', 'gone soon'], ['überKey', 'x']]);
    time.now += 5;
    expect(store.snapshot()).toEqual([['temp', '21.5 °C'], ['überKey', 'x']]);
  });
});
