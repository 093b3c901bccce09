/**
 * The designer's stores on `window.wgs`, for automation: the canvas benchmark
 * and end-to-end tests load large graphs and read preview state through them
 * instead of typing 500 operations into the editor.
 */
import { useDesigner } from '../store/designer.ts';
import { usePreview } from './store.ts';

(window as unknown as { wgs: object }).wgs = { designer: useDesigner, preview: usePreview };
