// Builds the console into dist/renderer, which `osprey serve` and the desktop window load. Relative
// asset URLs (base './') let the same bundle load from http://127.0.0.1:P/ and from a file.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// import.meta.dirname rather than node:path/url: lint keeps Node APIs out of renderer/, and Vite
// fills this in when it loads the config.
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  // Osprey's version for snapshot metadata (recording/recordVersion.ts): npm sets it for scripts.
  define: {
    'import.meta.env.VITE_OSPREY_VERSION': JSON.stringify(process.env.npm_package_version ?? ''),
  },
  build: {
    outDir: `${root}/../dist/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    // One ~1.7 MB chunk (ECharts subset with heatmap, custom series, toolbox and brush ~750 kB,
    // React DOM ~200 kB, TypeBox ~130 kB, NATS ~100 kB, d3-flame-graph and the eight profile
    // importers ~330 kB): the console is loaded from loopback or disk, where splitting adds
    // requests and saves nothing.
    chunkSizeWarningLimit: 1800,
  },
  server: {
    // `npm run dev` proxies the stream to a collector started with `osprey serve --port 7420`.
    proxy: {
      '/stream': {
        target: process.env.OSPREY_DEV_COLLECTOR ?? 'http://127.0.0.1:7420',
        ws: true,
      },
    },
  },
});
