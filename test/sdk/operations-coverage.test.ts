import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { getSdk } from '../../client-sdk/src/generated/sdk';

/**
 * The SDK covers the whole schema: every root field of Query and Mutation has an operation in
 * client-sdk/operations named after it (lowerCamelCase), so a field added to the server shows
 * up here as a failure until the SDK has it.
 */
const ROOT = join(__dirname, '..', '..');
const OPERATIONS_DIR = join(ROOT, 'client-sdk', 'operations');

const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
const files = readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith('.graphql'));
const documents = files.map((file) => ({ file, document: parse(readFileSync(join(OPERATIONS_DIR, file), 'utf8')) }));
const definitions = documents.flatMap(({ document }) => document.definitions);
const operations = definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
const fragments = definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);

function rootFields(type: GraphQLObjectType | null | undefined): string[] {
  return type ? Object.keys(type.getFields()).sort() : [];
}

function selectedRootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

describe('SDK operations cover the schema', () => {
  test.each([
    ['query', rootFields(schema.getQueryType())],
    ['mutation', rootFields(schema.getMutationType())],
  ] as const)('every %s root field has an operation named after it that selects it', (kind, fields) => {
    expect(fields.length).toBeGreaterThan(0);
    const missing = fields.filter(
      (field) =>
        !operations.some(
          (op) => op.operation === kind && op.name?.value === field && selectedRootFields(op).includes(field),
        ),
    );
    if (missing.length)
      throw new Error(
        `No ${kind} operation in client-sdk/operations for: ${missing.join(', ')}. ` +
          `Add e.g. "${kind} ${missing[0]}(…) { ${missing[0]}(…) { … } }" and run npm run codegen.`,
      );
  });

  test('every operation is named after a root field of its kind, or that name and a suffix (lowerCamelCase, unique)', () => {
    const names = operations.map((op) => op.name?.value ?? '(anonymous)');
    expect(new Set(names).size).toBe(names.length);
    for (const op of operations) {
      const root = op.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
      const name = op.name?.value ?? '';
      // e.g. `viewerReach`: the viewer root field, with the calling key's reach selected
      const named = (field: string) => name === field || new RegExp(`^${field}[A-Z][A-Za-z0-9]*$`).test(name);
      expect({ name: op.name?.value, known: rootFields(root).some(named) }).toEqual({
        name: op.name?.value,
        known: true,
      });
    }
  });

  test('the documents are valid against the schema', () => {
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions };
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  test('shared fragments exist for frontend teams', () => {
    const names = fragments.map((f) => f.name.value);
    expect(names).toEqual(
      expect.arrayContaining(['UserKeyFields', 'ClientLinkFields', 'ClientFields', 'CompanyFields']),
    );
  });

  test('the generated SDK has one method per operation (codegen is up to date)', () => {
    const sdk = getSdk(<R>() => Promise.resolve({} as R));
    expect(Object.keys(sdk).sort()).toEqual(operations.map((op) => op.name?.value).sort());
  });
});
