import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { builtinBlocker, builtinDiagnostics } from './diagnostics.ts';
import { addBuiltin, setConfigJson, setConfigString } from './config.ts';
import { newDataflowGraphYaml } from '../manifest.ts';

describe('builtinDiagnostics', () => {
  it('locates a rule problem on its node and YAML line', () => {
    let text = addBuiltin(newDataflowGraphYaml('g'), 'map').text;
    expect(builtinDiagnostics(text, parseDocument(text).toJS())).toEqual([]);
    text = setConfigJson(text, 'map', 'rules', { map: [{ inputs: ['t'], output: 'f', expression: 'cToF($1' }] });
    const [d, ...rest] = builtinDiagnostics(text, parseDocument(text).toJS());
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ path: 'spec.nodes[1].graphSettings.configuration[0].value', message: 'rule 1: unclosed arguments of cToF', rule: 'builtin-rules', severity: 'error' });
    expect(text.split('\n')[d!.line! - 1]).toContain('value: |');
    expect(builtinBlocker([d!], parseDocument(text).toJS())).toBe('map: rule 1: unclosed arguments of cToF');
    expect(builtinBlocker([], undefined)).toBeUndefined();
  });

  it('does not block on a warning (a validating filter with no schema) but blocks on a malformed schemaRef', () => {
    let text = addBuiltin(newDataflowGraphYaml('g'), 'filter').text;
    text = setConfigJson(text, 'filter', 'rules', { filter: [], validateSchema: true });
    const [w, ...none] = builtinDiagnostics(text, parseDocument(text).toJS());
    expect(none).toEqual([]);
    expect(w).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^validateSchema is on but no incoming connection has a schema/) });
    expect(builtinBlocker([w!], parseDocument(text).toJS())).toBeUndefined();
    text = setConfigString(text, 'filter', 'schemaRef', 'aio-sr://nope');
    const found = builtinDiagnostics(text, parseDocument(text).toJS());
    expect(found.map((d) => d.severity)).toEqual(['error']);
    expect(builtinBlocker(found, parseDocument(text).toJS())).toBe('filter: schemaRef "aio-sr://nope" has no :<version>');
  });
});
