import { formatHlc } from '@wgs/graph-model';
import { fromUtf8, type Item } from '../data-model.ts';

/** An item as a preview shows it: JSON-safe, payload rendered and bounded. */
export interface PreviewItem {
  kind: Item['kind'];
  timestamp: string;
  topic?: string;
  contentType?: string;
  userProperties?: [string, string][];
  format?: string;
  width?: number;
  height?: number;
  /** `json` and `text` carry text; `base64` carries bytes (binary payloads, frames). */
  encoding: 'json' | 'text' | 'base64';
  data: string;
  size: number;
  truncated: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Control characters other than tab, newlines and form feed mean binary data. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && (c < 9 || c > 13)) return true;
  }
  return false;
}

function render(bytes: Uint8Array, limit: number): Pick<PreviewItem, 'encoding' | 'data' | 'size' | 'truncated'> {
  const size = bytes.length;
  try {
    const text = decoder.decode(bytes);
    if (!hasControlCharacters(text)) {
      let encoding: 'json' | 'text' = 'text';
      try {
        JSON.parse(text);
        encoding = 'json';
      } catch {
        // plain text
      }
      return { encoding, data: text.length > limit ? text.slice(0, limit) : text, size, truncated: text.length > limit };
    }
  } catch {
    // not UTF-8
  }
  const cut = bytes.subarray(0, limit);
  return { encoding: 'base64', data: Buffer.from(cut).toString('base64'), size, truncated: size > limit };
}

/**
 * Renders an item for a browser. Payloads are cut at `limit` bytes; rgb24
 * frames are sent whole up to `frameLimit` so the preview can draw them.
 */
export function previewItem(item: Item, limit = 4096, frameLimit = 160 * 1024): PreviewItem {
  const timestamp = formatHlc(item.timestamp);
  switch (item.kind) {
    case 'message':
      return { kind: 'message', timestamp, topic: fromUtf8(item.topic), contentType: item.contentType, userProperties: item.userProperties, ...render(item.payload, limit) };
    case 'snapshot':
      return { kind: 'snapshot', timestamp, format: item.format, width: item.width, height: item.height, ...render(item.frame, frameLimit) };
    default:
      return { kind: 'bytes', timestamp, ...render(item.bytes, limit) };
  }
}
