import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // execa is ESM-only and small: bundle it instead of resolving it at run time.
      externalizeDeps: { exclude: ['execa'] },
      rolldownOptions: { input: { index: resolve(__dirname, 'src-main/electron-main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be a single CommonJS file with no imports left.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-preload/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      chunkSizeWarningLimit: 6000,
      rolldownOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    worker: { format: 'es' },
  },
});
