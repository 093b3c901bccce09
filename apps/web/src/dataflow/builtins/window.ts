/**
 * Window 1.1.0's closing conditions as the panel edits them (reference §1.3):
 * `count` / `memory` limits and `triggers` rules. Pure; each edit returns the
 * whole new value (undefined: remove the key), spread over the old one so
 * its keys keep their order and json-edit keeps untouched text.
 */
import type { Limit, Rule, TriggerRule, Triggers } from './config.ts';

export const BLANK_TRIGGER: TriggerRule = { inputs: [''], trigger: '' };

/** A trigger as the rule editor shows it (the expression under `expression`). */
export function triggerAsRule(t: TriggerRule): Rule {
  const rule: Rule = { inputs: Array.isArray(t.inputs) ? t.inputs : [], expression: typeof t.trigger === 'string' ? t.trigger : '' };
  if (typeof t.description === 'string') rule.description = t.description;
  return rule;
}

/** The rule editor's change written back over the trigger (boundaryMessage and key order kept). */
export function ruleAsTrigger(old: TriggerRule, r: Rule): TriggerRule {
  const next: TriggerRule = { ...old, inputs: r.inputs, trigger: r.expression ?? '' };
  if (r.description) next.description = r.description;
  else delete next.description;
  return next;
}

/** The triggers value with these rules; none left removes the key (the component refuses an empty list). */
export function withTriggerRules(triggers: Partial<Triggers> | undefined, rules: TriggerRule[]): Triggers | undefined {
  if (!rules.length) return undefined;
  return { type: 'expression', ...triggers, rules };
}

const LIMIT = { count: ['messageCount', 'maxMessageCount'], memory: ['bufferSize', 'maxBufferBytes'] } as const;

/** `count` or `memory` with a new limit; an emptied field removes the condition. */
export function withLimit(key: 'count' | 'memory', old: Limit | undefined, max: number | undefined): Limit | undefined {
  if (max === undefined) return undefined;
  const [type, field] = LIMIT[key];
  return { type, ...old, [field]: max };
}

/** The limit a `count` or `memory` value sets, if it reads as one. */
export const limitOf = (key: 'count' | 'memory', value: Limit | undefined): number | undefined => {
  const n = value?.[LIMIT[key][1]];
  return typeof n === 'number' ? n : undefined;
};
