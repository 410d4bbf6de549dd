/**
 * Stands in, in the app's bundle only, for the SDK's generated per-operation methods
 * (client-sdk/src/generated/sdk.ts; see vite.config.ts). The app runs its own colocated documents
 * with `request()` and `paginate()` and never calls those methods, and `AppClient` (session.tsx)
 * leaves them out of its type, so their ~60 documents need not be downloaded and parsed.
 */
export function getSdk(): Record<string, never> {
  return {};
}
