/** The inject form's rules, apart from React: what it sends, and why it refuses. */
import { parseTopics, type InjectMessage } from './store.ts';

export interface InjectForm {
  topic: string;
  payload: string;
  encoding: 'text' | 'base64';
  /** `key=value`, one per line. */
  properties: string;
}

/** The first typed topic filter that is a plain topic (no wildcards), else empty. */
export function defaultInjectTopic(topics: string): string {
  return parseTopics(topics).find((t) => !t.includes('#') && !t.includes('+')) ?? '';
}

/** `key=value` lines; blank lines are skipped, a line without `=` is a problem. */
export function parseUserProperties(text: string): { properties: [string, string][] } | { problem: string } {
  const properties: [string, string][] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { problem: `user property on line ${i + 1} is not key=value` };
    properties.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return { properties };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The message for the `inject` command, or why it cannot be sent. */
export function buildInjectMessage(form: InjectForm): { message: InjectMessage } | { problem: string } {
  const topic = form.topic.trim();
  if (!topic) return { problem: 'give the topic the message arrives on' };
  if (topic.includes('#') || topic.includes('+')) return { problem: 'a message topic cannot contain wildcards (# or +)' };
  if (form.encoding === 'base64') {
    const compacted = form.payload.replace(/\s/g, '');
    if (compacted.length % 4 !== 0 || !BASE64.test(compacted)) return { problem: 'the payload is not valid base64' };
  }
  const props = parseUserProperties(form.properties);
  if ('problem' in props) return props;
  return {
    message: {
      topic,
      payload: form.encoding === 'base64' ? form.payload.replace(/\s/g, '') : form.payload,
      encoding: form.encoding,
      ...(props.properties.length ? { userProperties: props.properties } : {}),
    },
  };
}
