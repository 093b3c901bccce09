import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API runs on the server (`pnpm start`); in `vite dev` requests to /api go there.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: `http://127.0.0.1:${process.env.WGS_PORT ?? 8420}`, ws: true } } },
  build: { chunkSizeWarningLimit: 8000 },
  worker: { format: 'es' },
});
