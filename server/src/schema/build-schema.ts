import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray } from 'type-graphql';
import { withAuthorization } from './authorization';
import type { Class } from '../modules/module';
import { RESOLVERS } from '../modules/registry';
import { resolveAsyncProperties } from './async-properties';
import { answerPreloadedRelations } from './preloaded-relations';
import { DateTimeScalar } from '../shared/scalars';

let cached: GraphQLSchema | null = null;

/**
 * The executable schema: type-graphql resolvers, the preloaded relations' shortcut, then `@requires`
 * enforcement around them. Built once.
 */
export function buildNokkelSchema(): GraphQLSchema {
  cached ??= resolveAsyncProperties(
    withAuthorization(
      answerPreloadedRelations(
        buildSchemaSync({
          // every module's resolvers (modules/registry.ts)
          resolvers: RESOLVERS as unknown as NonEmptyArray<Class>,
          scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
          validate: false,
          emitSchemaFile: false,
        }),
      ),
    ),
  );
  return cached;
}
