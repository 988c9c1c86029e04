// Vite build of the console: `kuberack serve` serves web/dist under /console/; in development,
// `vite` proxies the API (/v1) to a local `kuberack serve` on port 8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Vendor chunks, cached across releases of the console: React, the router, react-query, and the
 * part of antd the first page needs (`$initial`: reached by static imports from the entry); the rest
 * of antd stays with the pages that use it.
 */
const VENDORS = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 40 },
  { name: 'router', test: /node_modules[\\/](react-router|cookie|set-cookie-parser)[\\/]/, priority: 30 },
  { name: 'react-query', test: /node_modules[\\/]@tanstack[\\/]/, priority: 30 },
  {
    name: 'antd',
    test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@babel[\\/]runtime|classnames|stylis|@emotion)[\\/]/,
    tags: ['$initial' as const],
    priority: 20,
  },
];

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: { output: { codeSplitting: { groups: VENDORS } } },
  },
});
