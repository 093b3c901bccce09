import type { SampleItem } from './messages.ts';

/** Bytes as hex, 16 per line, from base64. */
export function base64ToHex(data: string): string {
  let bin: string;
  try {
    bin = atob(data);
  } catch {
    return '(not base64)';
  }
  const lines: string[] = [];
  for (let i = 0; i < bin.length; i += 16) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 16, bin.length); j++) row.push(bin.charCodeAt(j).toString(16).padStart(2, '0'));
    lines.push(row.join(' '));
  }
  return lines.join('\n');
}

/** A payload for reading: pretty JSON, text as is, binary as hex. */
export function renderPayload(item: SampleItem): string {
  switch (item.encoding) {
    case 'json':
      try {
        return JSON.stringify(JSON.parse(item.data), null, 2);
      } catch {
        // cut (truncated) JSON: show the text
        return item.data;
      }
    case 'base64':
      return base64ToHex(item.data);
    default:
      return item.data;
  }
}
