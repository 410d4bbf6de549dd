/** Messages between the bench and the child that serves another release (see child.ts). */

/** Credentials as the bench's requests send them (a bearer token and an acting company). */
export interface OtherCredentials {
  token: string;
  companyId?: string;
}

export type ToChild = { type: 'start'; databaseUrl: string } | { type: 'cpu' } | { type: 'stop' };

export type FromChild =
  | {
      type: 'ready';
      url: string;
      /** A partner key at the release's main client (its data set's first partner key). */
      partner: OtherCredentials;
      /** The office administrator's session (the key overview). */
      session: OtherCredentials;
      seconds: number;
    }
  | { type: 'cpu'; usage: NodeJS.CpuUsage; maxRssMb: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };
