/**
 * The canvases' right-click menu: a short list of actions at the pointer.
 * Closes on Escape, on a press anywhere else, on scroll and after an action.
 */
import { useEffect, useRef } from 'react';

export interface MenuItem {
  label: string;
  testId: string;
  run(): void;
  danger?: boolean;
}

export interface MenuAt {
  x: number;
  y: number;
  /** What was right-clicked (for tests and screen readers). */
  title: string;
  items: MenuItem[];
}

export function ContextMenu({ menu, onClose }: { menu: MenuAt; onClose(): void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Escape is the menu's: a dialog under it must not close too.
      e.stopPropagation();
      onClose();
    };
    const onPress = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onPress, true);
    window.addEventListener('wheel', onClose, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onPress, true);
      window.removeEventListener('wheel', onClose, true);
    };
  }, [onClose]);
  // Kept inside the window when opened near its right or bottom edge.
  const left = Math.min(menu.x, window.innerWidth - 200);
  const top = Math.min(menu.y, window.innerHeight - 40 * menu.items.length - 40);
  return (
    <div className="context-menu" role="menu" aria-label={menu.title} data-testid="context-menu" ref={box} style={{ left, top }}
      onContextMenu={(e) => e.preventDefault()}>
      <div className="context-menu-title">{menu.title}</div>
      {menu.items.map((item) => (
        <button key={item.testId} role="menuitem" data-testid={item.testId} className={item.danger ? 'danger' : ''}
          onClick={() => {
            onClose();
            item.run();
          }}>
          {item.label}
        </button>
      ))}
    </div>
  );
}
