import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RequestContext } from '../../modules/request-context';
import { keyReach } from '../../rules/accountant-keys';
import { isReachRead, type SelectedField } from '../../rules/reach';
import { UserKeyKind } from '../../shared/domain-enums';

type Variables = Record<string, unknown>;

/** Whether `@skip` / `@include` keep a selection, with this request's variables (as execution decides). */
function included(node: SelectionNode, variables: Variables): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The fields a selection set selects, through inline fragments and fragment spreads. */
function fieldsOf(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (s: SelectionSetNode) => {
    for (const selection of s.selections) {
      if (!included(selection, variables)) continue;
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
function rootSelection(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): SelectedField[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  return fieldsOf(operation.selectionSet, fragments, variables).map((field) => ({
    name: field.name.value,
    children: field.selectionSet ? fieldsOf(field.selectionSet, fragments, variables).map((c) => c.name.value) : [],
  }));
}

/**
 * R32 + R15: an accountant key without X-Company-Id is let through the credential lookup only to
 * read its own key (`viewer { userKey { reach } }`); any other operation is refused as R15 refuses it.
 */
export function reachOnlyPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      // every other request skips the hook altogether (the partner read is the hot path)
      if (!contextValue.acting.reachOnly) return;
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          if (!isReachRead(operation.operation, rootSelection(document, operation, request.variables ?? {}))) {
            keyReach(UserKeyKind.ACCOUNTANT, true, null);
          }
        },
      };
    },
  };
}
