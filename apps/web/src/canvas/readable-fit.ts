/**
 * Fit view that keeps operations legible: the whole graph when it fits at a
 * readable zoom; otherwise the readable zoom itself, the graph's start (its
 * sources, at the top) in view and the rest reached by scrolling, rather than
 * 4 px names for a 15-operation graph on a laptop screen.
 */
export interface Rect { x: number; y: number; width: number; height: number }
export interface Padding { top: number; right: number; bottom: number; left: number }
export interface Viewport { x: number; y: number; zoom: number }

/** 13 px names at 0.75 are about 10 px on screen: the smallest that still reads. */
export const MIN_READABLE_ZOOM = 0.75;
export const MAX_FIT_ZOOM = 1.5;

/** `focusX`: the flow x to centre when the graph is too wide (its top row: where reading starts). */
export function readableViewport(bounds: Rect, canvas: { width: number; height: number }, pad: Padding, focusX?: number, minZoom = MIN_READABLE_ZOOM, maxZoom = MAX_FIT_ZOOM): Viewport {
  const roomW = Math.max(1, canvas.width - pad.left - pad.right);
  const roomH = Math.max(1, canvas.height - pad.top - pad.bottom);
  const fit = Math.min(roomW / Math.max(1, bounds.width), roomH / Math.max(1, bounds.height), maxZoom);
  const zoom = Math.max(fit, minZoom);
  const w = bounds.width * zoom;
  const h = bounds.height * zoom;
  // Centred along an axis that fits; too tall: its top at the padding; too wide: the top row centred,
  // without leaving empty room at either side.
  const centred = pad.left + roomW / 2 - (focusX ?? bounds.x + bounds.width / 2) * zoom;
  const x = w <= roomW ? pad.left + (roomW - w) / 2 - bounds.x * zoom
    : Math.min(pad.left - bounds.x * zoom, Math.max(pad.left + roomW - (bounds.x + bounds.width) * zoom, centred));
  const y = h <= roomH ? pad.top + (roomH - h) / 2 - bounds.y * zoom : pad.top - bounds.y * zoom;
  return { x, y, zoom };
}
