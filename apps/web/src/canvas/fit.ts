/**
 * How a canvas fits its graph into view. The palette (top left), the toolbar
 * (top right), the controls (bottom left) and the minimap (bottom right) float
 * over the canvas: the padding keeps the fitted graph clear of them, so no node
 * sits under a button.
 */
import type { FitViewOptions } from '@xyflow/react';

/** Shift+click adds to the selection (as in most editors); Ctrl/Cmd+click too, React Flow's default. */
export const MULTI_SELECT_KEYS = ['Shift', 'Control', 'Meta'];

/** The wheel scrolls the canvas (a graph larger than the view is read by scrolling); Ctrl/Cmd+wheel or a pinch zooms. */
export const SCROLL_PANS = { panOnScroll: true, zoomOnPinch: true, zoomActivationKeyCode: ['Control', 'Meta'] };

/** Minimap size on both canvases (kept small: the bottom padding clears it). */
export const MINIMAP_STYLE = { width: 150, height: 96 } as const;

/** Room kept for the palette (left), toolbar (top), controls and minimap (bottom). */
export const DEFINITION_PADDING = { top: 60, left: 150, right: 24, bottom: MINIMAP_STYLE.height + 24 };

export const DEFINITION_FIT: FitViewOptions = {
  padding: { top: `${DEFINITION_PADDING.top}px`, left: `${DEFINITION_PADDING.left}px`, right: `${DEFINITION_PADDING.right}px`, bottom: `${DEFINITION_PADDING.bottom}px` },
};

/** The data-flow canvas has its toolbar above it: only the controls and the minimap float over it. */
export const DATAFLOW_PADDING = { top: 24, left: 60, right: 24, bottom: MINIMAP_STYLE.height + 24 };

/** React Flow's first fit, before the readable fit (DataflowCanvas) replaces it. */
export const DATAFLOW_FIT: FitViewOptions = {
  padding: { top: `${DATAFLOW_PADDING.top}px`, left: `${DATAFLOW_PADDING.left}px`, right: `${DATAFLOW_PADDING.right}px`, bottom: `${DATAFLOW_PADDING.bottom}px` },
  maxZoom: 1,
};
