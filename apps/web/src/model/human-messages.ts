/**
 * Schema errors in words a person reads: "Name is required" instead of Ajv's
 * "must NOT have fewer than 1 characters". graph-model words a few keywords
 * itself; the rest arrive as Ajv's own text, matched here. The field is named
 * from the path's last key (`sourceSettings.dataSources` → "Data sources").
 */
import type { Diagnostic } from '@wgs/graph-model';

/** `dataSources` → "Data sources"; `$schema` stays. */
export function fieldLabel(path: string): string {
  const key = [...path.matchAll(/[^.[\]]+/g)].map((m) => m[0]).filter((s) => !/^\d+$/.test(s)).at(-1) ?? 'This value';
  if (!/^[a-zA-Z]/.test(key)) return key;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : `${n} ${many}`);

/** Patterns of names in the schemas, said in words. */
const PATTERNS: Record<string, string> = {
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': 'may use only lowercase letters, digits and "-", and must start and end with a letter or digit',
  '^[a-zA-Z0-9_-]+$': 'is required and may use only letters, digits, "_" and "-"',
};

const TYPES: Record<string, string> = { string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping of keys to values', null: 'empty' };

type Rule = [RegExp, (label: string, m: RegExpMatchArray) => string];

const RULES: Rule[] = [
  [/^must NOT have fewer than (\d+) characters$/, (l, m) => (m[1] === '1' ? `${l} is required` : `${l} must be at least ${m[1]} characters`)],
  [/^(?:must NOT have more than (\d+) characters|too long: at most (\d+) characters allowed)$/, (l, m) => `${l} must be at most ${m[1] ?? m[2]} characters`],
  [/^must NOT have fewer than (\d+) items$/, (l, m) => `${l} needs at least ${plural(Number(m[1]), 'one entry', 'entries')}`],
  [/^(?:must NOT have more than (\d+) items|too many items: at most (\d+) allowed)$/, (l, m) => `${l} takes at most ${plural(Number(m[1] ?? m[2]), 'one entry', 'entries')}`],
  [/^must match pattern "(.*)"$/, (l, m) => `${l} ${PATTERNS[m[1]!] ?? 'is not in the expected format'}`],
  [/^missing required property "(.+)"$/, (_l, m) => `${fieldLabel(m[1]!)} is required`],
  [/^must be >= (\S+)$/, (l, m) => `${l} must be at least ${m[1]}`],
  [/^must be <= (\S+)$/, (l, m) => `${l} must be at most ${m[1]}`],
  [/^must be > (\S+)$/, (l, m) => `${l} must be more than ${m[1]}`],
  [/^must be < (\S+)$/, (l, m) => `${l} must be less than ${m[1]}`],
  [/^must be ([a-z]+(?: or [a-z]+)*)$/, (l, m) => `${l} must be ${m[1]!.split(' or ').map((t) => TYPES[t] ?? t).join(' or ')}`],
  [/^must be one of (.+)$/, (l, m) => `${l} must be one of ${m[1]}`],
  [/^must be equal to constant$/, (l) => `${l} has a value that is not allowed here`],
  [/^must have required property '(.+)'$/, (_l, m) => `${fieldLabel(m[1]!)} is required`],
  [/^unknown property "(.+)"$/, (_l, m) => `"${m[1]}" is not a setting of this element`],
];

/** The message in words; messages that are already words pass unchanged. */
export function humanMessage(path: string, message: string): string {
  for (const [pattern, say] of RULES) {
    const m = message.match(pattern);
    if (m) return say(fieldLabel(path), m);
  }
  return message;
}

export function humanizeDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    const message = humanMessage(d.path, d.message);
    return message === d.message ? d : { ...d, message };
  });
}
