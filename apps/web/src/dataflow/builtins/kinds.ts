import type { BuiltinKind } from '@wgs/graph-model';

/** Labels and one-line hints of the "Add transform" menu (reference §4). */
export const BUILTIN_INFO: Record<BuiltinKind, { label: string; hint: string }> = {
  map: { label: 'Map', hint: 'rename, restructure, compute or remove fields' },
  filter: { label: 'Filter', hint: 'drop the messages a rule matches' },
  branch: { label: 'Branch', hint: 'route each message to its true or false output' },
  concatenate: { label: 'Concatenate', hint: 'merge two or more paths' },
  window: { label: 'Window', hint: 'one aggregated message per time window' },
  throttle: { label: 'Throttle', hint: 'limit messages per second per topic' },
};

/** The menu's second window entry (artifact graph-dataflow-window:1.1.0). */
export const WINDOW_1_1_INFO = { label: 'Window 1.1.0', hint: 'windows also closed by message count, buffer size or trigger expressions' };
