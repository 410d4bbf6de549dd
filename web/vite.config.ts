import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const SDK_SOURCE = fileURLToPath(new URL('../client-sdk/src/', import.meta.url));
const OPERATIONS_LEFT_OUT = fileURLToPath(new URL('./src/sdk/operations-left-out.ts', import.meta.url));

/**
 * The SDK's `createClient` adds one method per operation of the schema, each holding its document:
 * over 40 % of the bundle. The app calls none of them (its client type, AppClient, has only
 * request, paginate and withCompany), so the SDK's own import of those methods is answered with
 * an empty set; its documents then drop out of the bundle. Only imports made by the SDK's source
 * are redirected.
 */
function sdkWithoutOperationMethods(): Plugin {
  return {
    name: 'nokkel-sdk-without-operation-methods',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './generated/sdk' && importer?.startsWith(SDK_SOURCE)) return OPERATIONS_LEFT_OUT;
      return null;
    },
  };
}

// The SDK is used from its TypeScript source: Vite compiles it with the app, so the app needs no
// `npm run sdk:build` first and the bundle holds only the parts of the SDK the app imports.
export default defineConfig({
  plugins: [sdkWithoutOperationMethods(), react()],
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
