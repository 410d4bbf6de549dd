import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RequestContext } from '../context/request-context';
import { keyReach } from '../rules/accountant-keys';
import { isReachRead } from '../rules/reach';
import { UserKeyKind } from '../shared/domain-enums';

/** The root fields an operation selects, through fragments too. */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

/**
 * R32 + R15: an accountant key without X-Company-Id is let through the credential lookup only to
 * read `viewer` (where it can act); any other operation is refused as R15 refuses it.
 */
export function reachOnlyPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (!contextValue.acting.reachOnly || !operation) return;
          if (!isReachRead(operation.operation, rootFields(document, operation))) {
            keyReach(UserKeyKind.ACCOUNTANT, true, null);
          }
        },
      };
    },
  };
}
