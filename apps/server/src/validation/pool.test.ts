/** The validation pool with its real worker thread: results, timeouts, the queue bound, recovery. */
import { afterEach, describe, expect, it } from 'vitest';
import { manyKeysGraphYaml, manyNodesGraph } from '@wgs/graph-model/testing';
import { ValidationBusyError, ValidationPool, ValidationTimeoutError } from './pool.ts';

let pool: ValidationPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('ValidationPool', () => {
  it('parses graph definitions and validates resources in the worker, with the same results as in-process', async () => {
    pool = new ValidationPool();
    const parsed = await pool.graphDefinition(manyKeysGraphYaml(2));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.graph?.moduleConfigurations?.[0]?.parameters).toHaveProperty('p1');
    expect(await pool.resource(manyNodesGraph(1))).toEqual([]);
    expect(await pool.resource({ kind: 'Nope' })).toEqual([expect.objectContaining({ path: 'kind', message: expect.stringContaining('unsupported kind') })]);
  }, 30_000);

  it('ends a task past its timeout, and the next task runs on a fresh worker', async () => {
    pool = new ValidationPool({ timeoutMs: 100 });
    // The worker's start is not counted: a small document fits the timeout even on a cold pool.
    expect((await pool.graphDefinition(manyKeysGraphYaml(1))).diagnostics).toEqual([]);
    const err = await pool.graphDefinition(manyKeysGraphYaml(20_000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationTimeoutError);
    expect((err as Error).message).toBe('validation took longer than 100 ms; the document was refused');
    expect((await pool.graphDefinition(manyKeysGraphYaml(1))).diagnostics).toEqual([]);
  }, 30_000);

  it('refuses tasks beyond the queue bound instead of queueing without end', async () => {
    pool = new ValidationPool({ maxQueued: 2 });
    await pool.graphDefinition(manyKeysGraphYaml(1)); // a ready worker, so the first task leaves the queue at once
    const yaml = manyKeysGraphYaml(5_000);
    const runs = Array.from({ length: 4 }, () => pool!.graphDefinition(yaml).then(() => 'done', (e: unknown) => e));
    const outcomes = await Promise.all(runs);
    // The first is dispatched at once, two wait, the fourth is refused.
    expect(outcomes.slice(0, 3)).toEqual(['done', 'done', 'done']);
    expect(outcomes[3]).toBeInstanceOf(ValidationBusyError);
  }, 30_000);

  it('rejects what is pending when closed', async () => {
    pool = new ValidationPool();
    // The expectation is attached before close, so the rejection is never unhandled.
    const refused = expect(pool.graphDefinition(manyKeysGraphYaml(5_000))).rejects.toThrow('the validation pool is closed');
    await pool.close();
    await refused;
  }, 30_000);
});
