/**
 * Undo/redo over a document's text. Both editors keep their document as text
 * (the canvas is derived from it), so one history serves canvas and YAML
 * edits alike. Typing bursts closer than `coalesceMs` become one step.
 */
export interface TextHistory {
  /**
   * Records `text` as the new current state (ignored when unchanged); typing bursts coalesce.
   * `key` names what is being typed into (a form field): a burst coalesces only within one key,
   * so typing in another field starts a new step.
   */
  push(text: string, now?: number, key?: string): void;
  /** Records `text` as a step of its own (a canvas or form edit): never merged with typing around it. */
  record(text: string): void;
  /** The previous text, or undefined when there is none. */
  undo(): string | undefined;
  redo(): string | undefined;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Forgets everything: `text` becomes the only state. */
  reset(text: string): void;
}

export interface TextHistoryOptions {
  coalesceMs?: number;
  limit?: number;
}

export function createTextHistory(initial: string, options: TextHistoryOptions = {}): TextHistory {
  const coalesceMs = options.coalesceMs ?? 800;
  const limit = options.limit ?? 200;
  let past: string[] = [];
  let current = initial;
  let future: string[] = [];
  let lastPush = -Infinity;
  let lastKey: string | undefined;

  return {
    push(text, now = Date.now(), key) {
      if (text === current) return;
      // A burst of edits (in one field) replaces the current state instead of stacking up.
      if (now - lastPush >= coalesceMs || key !== lastKey || !past.length) {
        past.push(current);
        if (past.length > limit) past = past.slice(past.length - limit);
      }
      current = text;
      future = [];
      lastPush = now;
      lastKey = key;
    },
    record(text) {
      if (text === current) return;
      past.push(current);
      if (past.length > limit) past = past.slice(past.length - limit);
      current = text;
      future = [];
      lastPush = -Infinity;
    },
    undo() {
      const previous = past.pop();
      if (previous === undefined) return undefined;
      future.push(current);
      current = previous;
      lastPush = -Infinity;
      return current;
    },
    redo() {
      const next = future.pop();
      if (next === undefined) return undefined;
      past.push(current);
      current = next;
      lastPush = -Infinity;
      return current;
    },
    canUndo: () => past.length > 0,
    canRedo: () => future.length > 0,
    reset(text) {
      past = [];
      future = [];
      current = text;
      lastPush = -Infinity;
    },
  };
}
