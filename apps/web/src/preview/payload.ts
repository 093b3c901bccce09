import type { SampleItem } from './messages.ts';

/** Bytes shown in a hex dump; the rest is counted, not shown (a frame is 150 KB). */
export const HEX_LIMIT = 4096;

/** Bytes from base64; undefined when it is not base64. */
export function base64ToBytes(data: string): Uint8Array | undefined {
  let bin: string;
  try {
    bin = atob(data);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes as hex, 16 per line, from base64; at most `limit` bytes, then how many more there are. */
export function base64ToHex(data: string, limit = HEX_LIMIT): string {
  const bytes = base64ToBytes(data);
  if (!bytes) return '(not base64)';
  const lines: string[] = [];
  const shown = Math.min(bytes.length, limit);
  for (let i = 0; i < shown; i += 16) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 16, shown); j++) row.push(bytes[j]!.toString(16).padStart(2, '0'));
    lines.push(row.join(' '));
  }
  if (bytes.length > shown) lines.push(`… ${bytes.length - shown} more bytes`);
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

/** One line for a list row: the text itself (cut), or what the binary is. */
export function summarizePayload(item: SampleItem, max = 160): string {
  if (item.encoding !== 'base64') return item.data.length > max ? `${item.data.slice(0, max)}…` : item.data;
  const size = item.size ?? Math.floor((item.data.length * 3) / 4);
  if (isRgb24Frame(item)) return `rgb24 frame ${item.width}×${item.height} (${size} bytes)`;
  return `${size} bytes binary`;
}

/** Whether the item is a whole raw rgb24 frame with known dimensions (drawable). */
export function isRgb24Frame(item: SampleItem): item is SampleItem & { width: number; height: number } {
  return item.format === 'rgb24' && item.encoding === 'base64' && !item.truncated && !!item.width && !!item.height;
}

/** RGBA pixels (for ImageData) from row-major interleaved RGB; undefined when the size does not match. */
export function rgb24ToRgba(rgb: Uint8Array, width: number, height: number): Uint8ClampedArray | undefined {
  const pixels = width * height;
  if (rgb.length !== pixels * 3) return undefined;
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 3, o += 4) {
    out[o] = rgb[i]!;
    out[o + 1] = rgb[i + 1]!;
    out[o + 2] = rgb[i + 2]!;
    out[o + 3] = 255;
  }
  return out;
}
