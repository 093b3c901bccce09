export type PathSegment = string | number;

/** A validation finding, located in the source document. */
export interface Diagnostic {
  /** Dotted path into the document, e.g. `operations[2].module`. */
  path: string;
  message: string;
  /** Stable rule id, e.g. `schema`, `unique-names`, `acyclic`. */
  rule: string;
  severity: 'error' | 'warning';
  /** 1-based; absent when the document was not parsed from text. */
  line?: number;
  column?: number;
  /** The path as segments, used to locate the element in YAML. */
  segments?: PathSegment[];
}

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** `file:line:column: message (path)` — the form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where = d.line ? `${file ?? '<input>'}:${d.line}:${d.column ?? 1}` : (file ?? '<input>');
  return `${where}: ${d.severity}: ${d.message}${d.path ? ` (at ${d.path})` : ''} [${d.rule}]`;
}

export class ValidationError extends Error {
  constructor(readonly diagnostics: Diagnostic[], readonly file?: string) {
    super(diagnostics.map((d) => formatDiagnostic(d, file)).join('\n'));
    this.name = 'ValidationError';
  }
}

export function diagnostic(segments: PathSegment[], message: string, rule: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return { path: formatPath(segments), segments, message, rule, severity };
}

/** Diagnostics one validation reports at most: enough to fix a document, bounded for a hostile one. */
export const MAX_DIAGNOSTICS = 200;

/** The first MAX_DIAGNOSTICS diagnostics, plus one saying how many more there were. */
export function capDiagnostics(list: Diagnostic[], max = MAX_DIAGNOSTICS): Diagnostic[] {
  if (list.length <= max) return list;
  const rest = list.slice(max);
  const severity = rest.some((d) => d.severity === 'error') ? 'error' : 'warning';
  return [...list.slice(0, max), { path: '', message: `${rest.length} more problems not shown`, rule: 'too-many-problems', severity }];
}
