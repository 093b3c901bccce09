import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { Sample } from './messages.ts';
import { base64ToBytes, isRgb24Frame, renderPayload, rgb24ToRgba } from './payload.ts';

/** An rgb24 frame drawn into a canvas (only for the one message being looked at). */
function FrameImage({ data, width, height }: { data: string; width: number; height: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const bytes = base64ToBytes(data);
    const rgba = bytes && rgb24ToRgba(bytes, width, height);
    if (!rgba) return setProblem(`frame is not ${width}×${height}×3 bytes`);
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return setProblem('this browser cannot draw the frame');
    ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    setProblem(undefined);
  }, [data, width, height]);
  return (
    <>
      <canvas ref={ref} data-testid="frame-image" width={width} height={height} />
      {problem && <div className="diag diag-error">{problem}</div>}
    </>
  );
}

/** The whole of one sampled message: metadata, then pretty JSON, text, hex, or the image of a frame. */
export const PayloadDetail = memo(function PayloadDetail({ sample: s }: { sample: Sample }) {
  const item = s.item;
  const frame = isRgb24Frame(item);
  // Rendering a payload (JSON pretty print, hex of up to 4 KB) happens once per message shown.
  const text = useMemo(() => (frame ? '' : renderPayload(item)), [frame, item]);
  return (
    <div className="sample-detail" data-testid="sample-detail" data-encoding={item.encoding} data-kind={item.kind ?? 'message'}>
      <div className="sample-head">
        <span className={`event event-${s.event}`}>{s.event}{s.arm ? ` ${s.arm}` : ''}</span>
        {item.topic && <code>{item.topic}</code>}
        {item.timestamp && <span className="muted" title="hybrid logical clock">{item.timestamp}</span>}
        {item.contentType && <span className="muted">{item.contentType}</span>}
        {item.size !== undefined && <span className="muted">{item.size} bytes{item.truncated ? `, cut to ${item.encoding === 'base64' ? 'the first bytes' : item.data.length}` : ''}</span>}
        {s.reason && <span className="muted">{s.reason}</span>}
      </div>
      {item.userProperties && item.userProperties.length > 0 && (
        <div className="muted" data-testid="detail-properties">{item.userProperties.map(([k, v]) => `${k}=${v}`).join('  ')}</div>
      )}
      {frame ? (
        <>
          <div className="muted">{item.format} {item.width}×{item.height}</div>
          <FrameImage data={item.data} width={item.width} height={item.height} />
        </>
      ) : (
        <pre data-testid="detail-payload">{text}</pre>
      )}
    </div>
  );
});
