import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App.tsx';

// The stores, for automation (the canvas benchmark loads graphs and previews through them).
void Promise.all([import('./store/designer.ts'), import('./preview/store.ts')]).then(([d, p]) => ((window as unknown as { wgs: object }).wgs = { designer: d.useDesigner, preview: p.usePreview }));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
