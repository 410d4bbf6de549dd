import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { assertRootFieldAllowed } from './root-field-access';
import type { RequestContext } from '../request-context';
import { BadUserInput } from '../../shared/errors';
import { Node, nodeTypeOf } from '../../shared/node';
import { NODE_SOURCES } from './node-sources';

/** At most this many ids per `nodes(ids:)` call. */
export const MAX_NODE_IDS = 100;

/** Global object identification: any object by id, reached as its own query reaches it. */
@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      'The object with this id, when you can see it: null for an id of another company or one you cannot reach. The permission the object’s own query needs applies here too, and so do field permissions.',
  })
  node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo) {
    return resolveNode(id, context, info);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `The objects with these ids (at most ${MAX_NODE_IDS}), in the same order; null for each one node(id:) would give null.`,
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: RequestContext, @Info() info: GraphQLResolveInfo) {
    if (ids.length > MAX_NODE_IDS) throw new BadUserInput([{ field: 'ids', message: `at most ${MAX_NODE_IDS} ids` }]);
    // each item resolves (or fails) on its own: a refused one is null with its error at its index
    return ids.map((id) => resolveNode(id, context, info));
  }
}

async function resolveNode(id: string, context: RequestContext, info: GraphQLResolveInfo): Promise<object | null> {
  const acting = context.acting.authenticated();
  const type = nodeTypeOf(id);
  const source = type ? NODE_SOURCES[type] : undefined;
  if (!source) return null;
  assertRootFieldAllowed(info.schema, context.acting, source.root);
  return source.load(context, acting, id);
}
