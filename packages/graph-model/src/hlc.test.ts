import { describe, expect, it } from 'vitest';
import { compareHlc, epochKey, formatHlc, hlcFromMillis, hlcToMillis, HybridClock, parseHlc, type Hlc } from './hlc.ts';

const U64_MAX = '18446744073709551615';

describe('parseHlc', () => {
  it('parses the unpadded form the docs publish', () => {
    expect(parseHlc('1758255553528:0:df')).toEqual({ secs: 1758255553n, nanos: 528_000_000, counter: 0n, nodeId: 'df' });
  });

  it('parses the padded form the SDK writes to the same value', () => {
    expect(parseHlc('001758255553528:00000:df')).toEqual(parseHlc('1758255553528:0:df'));
    expect(parseHlc('001758255553528:00042:node-1')).toEqual({ secs: 1758255553n, nanos: 528_000_000, counter: 42n, nodeId: 'node-1' });
  });

  it('accepts the u64 maximum for time and counter', () => {
    const h = parseHlc(`${U64_MAX}:${U64_MAX}:n`)!;
    expect(h.counter).toBe(BigInt(U64_MAX));
    expect(h.secs).toBe(BigInt(U64_MAX) / 1000n);
  });

  it.each([
    '',
    'df',
    '1758255553528:0',
    '1758255553528:0:df:extra',
    'abc:0:df',
    '1758255553528:x:df',
    '-1:0:df',
    '1.5:0:df',
    ' 1758255553528:0:df',
    '1758255553528::df',
    ':0:df',
    '18446744073709551616:0:df', // u64 max + 1
    `1:18446744073709551616:df`,
    '123456789012345678901:0:df', // 21 digits
  ])('returns undefined for %j', (text) => {
    expect(parseHlc(text)).toBeUndefined();
  });
});

describe('formatHlc', () => {
  it('pads milliseconds to 15 digits and the counter to 5', () => {
    expect(formatHlc(parseHlc('1758255553528:0:df')!)).toBe('001758255553528:00000:df');
    expect(formatHlc({ secs: 0n, nanos: 7_000_000, counter: 3n, nodeId: 'x' })).toBe('000000000000007:00003:x');
  });

  it('drops sub-millisecond nanoseconds', () => {
    expect(formatHlc({ secs: 1n, nanos: 2_999_999, counter: 0n, nodeId: 'x' })).toBe('000000000001002:00000:x');
  });

  it('does not truncate values wider than the padding', () => {
    expect(formatHlc({ secs: 10n ** 15n, nanos: 0, counter: 123456n, nodeId: 'x' })).toBe('1000000000000000000:123456:x');
  });

  it.each(['1758255553528:0:df', '001758255553528:00017:some-node', `${U64_MAX}:${U64_MAX}:n`])('round-trips %s', (text) => {
    const h = parseHlc(text)!;
    expect(parseHlc(formatHlc(h))).toEqual(h);
  });
});

describe('millisecond helpers, ordering and epochs', () => {
  it('hlcFromMillis and hlcToMillis are inverse for whole milliseconds', () => {
    const h = hlcFromMillis(1758255553528, 4n, 'n');
    expect(h).toEqual({ secs: 1758255553n, nanos: 528_000_000, counter: 4n, nodeId: 'n' });
    expect(hlcToMillis(h)).toBe(1758255553528);
    expect(hlcFromMillis(1.9).nanos).toBe(1_000_000);
  });

  it('orders by time, then counter, ignoring the node id', () => {
    const a = hlcFromMillis(1000, 5n, 'z');
    expect(compareHlc(a, hlcFromMillis(1001, 0n, 'a'))).toBe(-1);
    expect(compareHlc(a, hlcFromMillis(999, 9n, 'a'))).toBe(1);
    expect(compareHlc(a, hlcFromMillis(1000, 6n, 'a'))).toBe(-1);
    expect(compareHlc(a, hlcFromMillis(1000, 4n, 'a'))).toBe(1);
    expect(compareHlc(a, hlcFromMillis(1000, 5n, 'a'))).toBe(0);
  });

  it('gives equal timestamps the same epoch key, different ones different keys', () => {
    expect(epochKey(hlcFromMillis(1000, 1n, 'a'))).toBe(epochKey(hlcFromMillis(1000, 1n, 'b')));
    expect(epochKey(hlcFromMillis(1000, 1n))).not.toBe(epochKey(hlcFromMillis(1000, 2n)));
    expect(epochKey(hlcFromMillis(1001, 1n))).not.toBe(epochKey(hlcFromMillis(1000, 1n)));
  });
});

describe('HybridClock', () => {
  /** A clock reading a settable fake time. */
  function fakeClock(start: number, maxDriftMs?: number) {
    const time = { now: start };
    const clock = new HybridClock('me', () => time.now, maxDriftMs);
    return { time, clock };
  }

  it('uses the wall time with counter 0 when time advances', () => {
    const { time, clock } = fakeClock(1000);
    expect(clock.tick()).toEqual(hlcFromMillis(1000, 0n, 'me'));
    time.now = 2000;
    expect(clock.tick()).toEqual(hlcFromMillis(2000, 0n, 'me'));
  });

  it('ticks strictly increasing while the wall clock stands still or goes back', () => {
    const { time, clock } = fakeClock(5000);
    const seen: Hlc[] = [clock.tick(), clock.tick()];
    time.now = 4000; // clock stepped back
    seen.push(clock.tick(), clock.tick());
    for (let i = 1; i < seen.length; i++) expect(compareHlc(seen[i - 1]!, seen[i]!)).toBe(-1);
    expect(seen.map((h) => [hlcToMillis(h), h.counter])).toEqual([[5000, 0n], [5000, 1n], [5000, 2n], [5000, 3n]]);
  });

  it('update takes the wall time when it is later than both', () => {
    const { clock } = fakeClock(10_000);
    expect(clock.update(hlcFromMillis(9_000, 7n, 'peer'))).toEqual(hlcFromMillis(10_000, 0n, 'me'));
  });

  it('update takes a later received time with its counter + 1 and our node id', () => {
    const { clock } = fakeClock(10_000);
    expect(clock.update(hlcFromMillis(12_000, 7n, 'peer'))).toEqual(hlcFromMillis(12_000, 8n, 'me'));
  });

  it('update with an equal time uses the larger counter + 1', () => {
    const { clock } = fakeClock(10_000);
    clock.tick(); // (10000, 0)
    clock.tick(); // (10000, 1)
    expect(clock.update(hlcFromMillis(10_000, 5n, 'peer'))).toMatchObject({ counter: 6n });
    expect(clock.update(hlcFromMillis(10_000, 2n, 'peer'))).toMatchObject({ counter: 7n });
    expect(hlcToMillis(clock.tick())).toBe(10_000);
  });

  it('update with an older received time bumps our own counter', () => {
    const { time, clock } = fakeClock(10_000);
    clock.update(hlcFromMillis(20_000, 0n, 'peer')); // last = (20000, 1)
    time.now = 11_000;
    expect(clock.update(hlcFromMillis(15_000, 9n, 'peer'))).toEqual(hlcFromMillis(20_000, 2n, 'me'));
  });

  it('update rejects a timestamp more than 60 s in the future, and accepts exactly 60 s', () => {
    const { clock } = fakeClock(100_000);
    expect(() => clock.update(hlcFromMillis(160_001, 0n, 'peer'))).toThrow(/more than 60000 ms in the future/);
    expect(clock.update(hlcFromMillis(160_000, 0n, 'peer'))).toEqual(hlcFromMillis(160_000, 1n, 'me'));
  });

  it('a rejected update leaves the clock unchanged', () => {
    const { clock } = fakeClock(100_000);
    clock.tick();
    expect(() => clock.update(hlcFromMillis(1_000_000, 0n, 'peer'))).toThrow();
    expect(clock.tick()).toEqual(hlcFromMillis(100_000, 1n, 'me'));
  });

  it('honours a custom drift limit', () => {
    const { clock } = fakeClock(0, 10);
    expect(() => clock.update(hlcFromMillis(11, 0n, 'peer'))).toThrow(/10 ms/);
    expect(() => clock.update(hlcFromMillis(10, 0n, 'peer'))).not.toThrow();
  });
});
