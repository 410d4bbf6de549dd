import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { lexicographicSortSchema } from 'graphql';
import { buildNokkelSchema } from './build-schema';

export const SCHEMA_FILE = 'schema/schema.graphql';

const HEADER = '# Emitted from the server code by `npm run schema:emit`. Do not edit: CI fails when it drifts.\n\n';

/** The SDL of the API, with applied directives (`@requires`) visible, in a stable order. */
export function printNokkelSchema(): string {
  return HEADER + printSchemaWithDirectives(lexicographicSortSchema(buildNokkelSchema())) + '\n';
}
