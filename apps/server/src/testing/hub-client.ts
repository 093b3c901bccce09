/** A preview client talking to a PreviewHub in-process (tests): what it got, and a wait for the newest matching message. */
import type { PreviewServerMessage } from '@wgs/api-contract';
import type { PreviewHub } from '../preview-hub.ts';

export function hubClient(hub: PreviewHub) {
  const got: PreviewServerMessage[] = [];
  const connection = hub.connect({ send: (m) => void got.push(m), close: () => {} });
  const waitFor = async (pred: (m: PreviewServerMessage) => boolean, ms = 30_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const m = got.findLast(pred);
      if (m) return m;
      if (Date.now() > end) throw new Error(`not received; got ${JSON.stringify(got.map((x) => x.type))}, last: ${JSON.stringify(got.at(-1))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { connection, got, waitFor, send: (m: unknown) => connection.handle(JSON.stringify(m)) };
}
