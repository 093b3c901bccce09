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

export interface AlignedRow {
  left?: string;
  right?: string;
  kind: 'same' | 'left-only' | 'right-only';
}

/**
 * Two texts line by line, aligned on their longest common subsequence, so an
 * inserted line shows as one row instead of shifting everything after it.
 * Manifests are small (hundreds of lines), so the quadratic table is fine.
 */
export function alignLines(left: string, right: string): AlignedRow[] {
  const a = left.split('\n');
  const b = right.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const rows: AlignedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) rows.push({ left: a[i++], right: b[j++], kind: 'same' });
    else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) rows.push({ right: b[j++], kind: 'right-only' });
    else rows.push({ left: a[i++], kind: 'left-only' });
  }
  return rows;
}
