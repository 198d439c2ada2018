import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The portal's build (issue 12): root apps/portal, served by the gateway at `/portal/`, written to
 * `dist/portal`, split by area: the entry (React, Fluent's shell parts, the router, i18n, the
 * session) and one chunk per area's pages, loaded when a page of the area opens. No React plugin: Vite 8 compiles TSX with Oxc, the automatic JSX runtime of
 * React 19 (`jsx: react-jsx` in apps/portal/tsconfig.json says the same to tsc).
 * `npx vite build --config apps/portal/vite.config.ts`.
 */
export default defineConfig({
  root: here('.'),
  base: '/portal/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  resolve: {
    alias: {
      '@app/api-client': here('../../libs/api-client/src/index.ts'),
      '@app/contracts/error-codes': here('../../libs/contracts/src/error-codes.ts'),
    },
  },
  build: {
    outDir: here('../../dist/portal'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Each area's pages (`src/<area>/pages.ts`, loaded by its routes.tsx) are one chunk
        // named for the area (`assets/customers-<hash>.js`); what several areas share goes to
        // chunks of its own.
        chunkFileNames: (chunk) => {
          const area = /\/src\/([a-z-]+)\/pages\.ts$/.exec(chunk.facadeModuleId ?? '')?.[1];
          return `assets/${area ?? '[name]'}-[hash].js`;
        },
      },
      // Fluent UI's modules start with 'use client' (for React Server Components), which means
      // nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
