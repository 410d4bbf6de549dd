import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../modules/request-context';
import { allowReplicaReads } from '../../db/database';

/**
 * Lets a query's lag-tolerant list reads go to a read replica (DATABASE_REPLICA_URLS). A mutation
 * never does: everything it reads, including its payload after the write, comes from the primary.
 * Credential checks always read the primary (they run before this, and use `Database.read`).
 */
export function replicaReadsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'query') allowReplicaReads();
        },
      };
    },
  };
}
