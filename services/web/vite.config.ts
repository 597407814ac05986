import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The page the gateway serves at `/`: every asset comes from the hub itself (no CDN, no web fonts).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
});
