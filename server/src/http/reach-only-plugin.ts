import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RequestContext } from '../context/request-context';
import { keyReach } from '../rules/accountant-keys';
import { isReachRead, type SelectedField } from '../rules/reach';
import { UserKeyKind } from '../shared/domain-enums';

/** The fields a selection set selects, through inline fragments and fragment spreads. */
function fieldsOf(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (s: SelectionSetNode) => {
    for (const selection of s.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(set);
  return fields;
}

/** The operation's root fields, each with the names of the fields selected under it. */
function rootSelection(document: DocumentNode, operation: OperationDefinitionNode): SelectedField[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  return fieldsOf(operation.selectionSet, fragments).map((field) => ({
    name: field.name.value,
    children: field.selectionSet ? fieldsOf(field.selectionSet, fragments).map((c) => c.name.value) : [],
  }));
}

/**
 * R32 + R15: an accountant key without X-Company-Id is let through the credential lookup only to
 * read its own key (`viewer { userKey { reach } }`); any other operation is refused as R15 refuses it.
 */
export function reachOnlyPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (!contextValue.acting.reachOnly || !operation) return;
          if (!isReachRead(operation.operation, rootSelection(document, operation))) {
            keyReach(UserKeyKind.ACCOUNTANT, true, null);
          }
        },
      };
    },
  };
}
