import { describe, expect, it } from 'vitest';
import { limitOf, ruleAsTrigger, triggerAsRule, withLimit, withTriggerRules } from './window.ts';
import { writeJson } from './json-edit.ts';

describe('window 1.1.0 edits', () => {
  it('maps a trigger to the rule editor and back, keeping boundaryMessage and key order', () => {
    const t = { boundaryMessage: 'messageInNext', inputs: ['v'], trigger: 'changed($1)' };
    expect(triggerAsRule(t)).toEqual({ inputs: ['v'], expression: 'changed($1)' });
    const back = ruleAsTrigger(t, { inputs: ['v', 'w'], expression: 'changed($2)', description: 'd' });
    expect(Object.keys(back)).toEqual(['boundaryMessage', 'inputs', 'trigger', 'description']);
    expect(ruleAsTrigger(back, { inputs: ['v'], expression: '' })).toEqual({ boundaryMessage: 'messageInNext', inputs: ['v'], trigger: '' });
  });

  it('removes triggers with the last rule and count/memory with an emptied limit', () => {
    expect(withTriggerRules({ type: 'expression', rules: [] }, [])).toBeUndefined();
    expect(withTriggerRules(undefined, [{ inputs: [], trigger: 'true' }])).toEqual({ type: 'expression', rules: [{ inputs: [], trigger: 'true' }] });
    expect(withLimit('memory', undefined, 1024)).toEqual({ type: 'bufferSize', maxBufferBytes: 1024 });
    expect(withLimit('count', { type: 'messageCount', maxMessageCount: 3, boundaryMessage: 'messageInNext' }, undefined)).toBeUndefined();
    expect(limitOf('count', { type: 'messageCount', maxMessageCount: 3 })).toBe(3);
    expect(limitOf('memory', { type: 'messageCount', maxMessageCount: 3 })).toBeUndefined();
  });

  it('an edit of one trigger keeps the other triggers and the datasets byte for byte', () => {
    const text = '{ "type": "expression",\n  "datasets": [ {"key":"d", "inputs":["$source.a"], "expression":"$1 == 1"} ],\n  "rules": [ {"inputs":["v"], "trigger":"$1 > 1.0"}, {"inputs":["w"],"trigger":"changed($1)"} ] }';
    const value = JSON.parse(text);
    const rules = [value.rules[0], ruleAsTrigger(value.rules[1], { inputs: ['w'], expression: 'prev($1) != $1' })];
    expect(writeJson(text, withTriggerRules(value, rules))).toBe(text.replace('"trigger":"changed($1)"', '"trigger":"prev($1) != $1"'));
  });
});
