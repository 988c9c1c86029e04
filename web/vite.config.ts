// Vite build of the console: `kuberack serve` serves web/dist under /console/; in development,
// `vite` proxies the API (/v1) to a local `kuberack serve` on port 8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
});
