/** Props of the YAML editor, shared by the eager wrapper and the lazily loaded Monaco part. */
import type { Diagnostic } from '@wgs/graph-model';
import type { DocumentKind } from './documents.ts';

export type { DocumentKind };

export interface YamlEditorProps {
  value: string;
  /** Every edit typed in the editor (not called for changes that came through `value`). */
  onChange(text: string): void;
  /** Shown as markers (squiggles), located by line and column. */
  diagnostics: readonly Diagnostic[];
  /** Chooses the schema for completion and hover. */
  documentKind: DocumentKind;
  /** Scrolls to and puts the cursor on this line; a new object each time. */
  revealLine?: { line: number };
  testId?: string;
  className?: string;
  readOnly?: boolean;
  /** Puts the editor on `window[exposeAs]` (and Monaco on `window.wgsMonaco`) for e2e tests and the console. */
  exposeAs?: string;
}
