// Vite build of the console; output goes to web/dist, served by the API in later issues.
import { defineConfig } from 'vite';

export default defineConfig({ build: { outDir: 'dist', emptyOutDir: true } });
