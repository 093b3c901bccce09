import { useEffect, type RefObject } from 'react';

/**
 * Fits again (next frame) whenever the canvas changes size — a panel opens,
 * the window is resized — unless `hold()` says the user has taken the view
 * (panned, zoomed, edited): then nothing moves under their hand.
 */
export function useRefitOnResize(host: RefObject<HTMLDivElement | null>, refit: () => void, hold: () => boolean): void {
  useEffect(() => {
    if (!host.current) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      if (hold()) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(refit);
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [host, refit, hold]);
}
