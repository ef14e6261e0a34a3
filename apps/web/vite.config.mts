import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The staff console. `npm run build:web` writes dist/web, which the API serves
// under /; `npm run dev:web` serves it from source and proxies the API.
const api = process.env.HIMS_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, '../../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    // No inline script or style: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    rollupOptions: {
      // TanStack Query's "use client" markers mean nothing without server components.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': api, '/health': api, '/.well-known': api },
  },
});
