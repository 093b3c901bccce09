import { stringify } from 'yaml';
import type { DeployPlan } from '@wgs/api-contract';

export type Change = DeployPlan['changes'][number];

/** A value as the diff shows it: scalars inline, objects as YAML. */
export function showValue(v: unknown): string {
  if (v === undefined) return '';
  if (v === null || typeof v !== 'object') return String(v);
  return stringify(v, { lineWidth: 0 }).trimEnd();
}

/** One line per change, as a summary ("+ spec.nodes[name=x]", "~ path: a → b", "- path"). */
export function describeChange(c: Change): string {
  const where = c.path || '(the whole graph)';
  if (c.kind === 'added') return `+ ${where}`;
  if (c.kind === 'removed') return `- ${where}`;
  const scalar = (v: unknown) => v === null || typeof v !== 'object';
  return scalar(c.before) && scalar(c.after) ? `~ ${where}: ${showValue(c.before)} → ${showValue(c.after)}` : `~ ${where}`;
}

/** Lines of two texts side by side, marking the ones that differ (a plain line-by-line view for conflicts). */
export function sideBySide(left: string, right: string): { left: string; right: string; differs: boolean }[] {
  const a = left.split('\n');
  const b = right.split('\n');
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({ left: a[i] ?? '', right: b[i] ?? '', differs: (a[i] ?? '') !== (b[i] ?? '') }));
}
