import type { DatabaseConfig } from '../../server/src/db/database';

/** Messages between the bench and a child that serves one of this release's servers (child.ts). */

/** Nøkkel with graphql-jit (its default), Nøkkel with graphql-js, or the hand-written baseline. */
export type ServerKind = 'jit' | 'graphql-js' | 'raw';

export type ToServer =
  | { type: 'start'; kind: ServerKind; database: DatabaseConfig }
  | { type: 'usage' }
  | { type: 'counting'; on: boolean }
  | { type: 'relay' }
  | { type: 'stop' };

export type FromServer =
  | { type: 'ready'; url: string; rssMb: number }
  | { type: 'usage'; cpu: NodeJS.CpuUsage; maxRssMb: number; heapMb: number; rssMb: number }
  | { type: 'done' }
  | { type: 'failed'; message: string }
  /** The warnings and errors the server logged (Nøkkel's; none for raw). */
  | { type: 'stopped'; warnings: string[] };
