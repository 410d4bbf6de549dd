import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The SDK is used from its TypeScript source: Vite compiles it with the app, so the app needs no
// `npm run sdk:build` first and the bundle holds only the parts of the SDK the app imports.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@nokkel/client-sdk': fileURLToPath(new URL('../client-sdk/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // every asset is a file of its own: the server's Content-Security-Policy allows nothing inline
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `npm run dev -w web` next to `npm start`: the app talks to the API of that server
    proxy: { '/graphql': 'http://127.0.0.1:4000' },
  },
});
