import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Library code in chunks of its own, so a change to the app does not make
// browsers fetch the large libraries again. Monaco is reached only through the
// lazy editor (src/yaml/YamlEditor.tsx), so its chunk loads when an editor mounts.
// A group takes its modules' dependencies along: Vite's preload helper, used by
// Monaco's lazy grammars, would land in the Monaco chunk and drag it into the
// first load, so it gets a (tiny) chunk of its own first.
const vendorChunks = [
  { name: 'preload', test: /preload-helper/, priority: 4 },
  { name: 'monaco', test: /node_modules[\\/].*monaco-editor[\\/]/, priority: 3 },
  { name: 'elk', test: /node_modules[\\/].*elkjs[\\/]/, priority: 2 },
  { name: 'react', test: /node_modules[\\/].*(react|react-dom|scheduler|@xyflow|zustand|use-sync-external-store|d3-[a-z]+|classcat)[\\/]/, priority: 1 },
];

// The API runs on the server (`pnpm start`); in `vite dev` requests to /api go there.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: `http://127.0.0.1:${process.env.WGS_PORT ?? 8420}`, ws: true } } },
  build: {
    // Monaco alone is ~3.4 MB minified; everything else stays well under this.
    chunkSizeWarningLimit: 3600,
    rolldownOptions: { output: { codeSplitting: { groups: vendorChunks } } },
  },
  worker: { format: 'es' },
});
