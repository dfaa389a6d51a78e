import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer is built once and loaded two ways: from disk by the Electron window
// (hence relative asset paths) and over http by the web host.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
