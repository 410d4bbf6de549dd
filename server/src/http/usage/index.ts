import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../modules/request-context';
import type { UsageRecorder } from '../../modules/usage/usage-recorder';

/**
 * R34: at the end of each request made with a key, tells the recorder what it did (in memory; the
 * recorder writes in batches, so no statement is added to the request).
 */
export interface UsagePluginOptions {
  /** Where each key request's usage note goes (buffered; written in batches off the request's path). */
  recorder: UsageRecorder;
}

export function usagePlugin({ recorder }: UsagePluginOptions): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      // only requests made with a key carry a usage note
      if (!contextValue.usage) return;
      return {
        async willSendResponse({ contextValue, errors, response }) {
          const { acting, usage } = contextValue;
          if (!usage || !acting.userKey || !acting.company) return;
          const failed =
            (errors?.length ?? 0) > 0 ||
            (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
          recorder.noteRequest({
            userKeyId: acting.userKey.id,
            keyCompanyId: acting.userKey.companyId,
            companyId: acting.company.id,
            at: contextValue.now,
            failed,
            usage,
          });
        },
      };
    },
  };
}
