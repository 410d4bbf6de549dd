import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import ts from 'typescript';
import { ErrorCode } from '../../client-sdk/src';
import { ErrorCode as ServerErrorCode } from '../../server/src/shared/errors';

/**
 * What the SDK generates from the server stays true to the server: its ErrorCode lists exactly
 * the codes the server sends, and every method carries the schema's documentation of its field.
 * (`npm run codegen:check` separately fails when the committed files are not what codegen writes.)
 */
const ROOT = join(__dirname, '..', '..');

/** The string literals in the initializer of `const EXPECTED_CODES` (the Apollo codes passed through). */
function passedThroughCodes(): string[] {
  const file = join(ROOT, 'server', 'src', 'http', 'error-masking', 'index.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const literals: string[] = [];
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'EXPECTED_CODES' && node.initializer) {
      found = true;
      const collect = (inner: ts.Node): void => {
        if (ts.isStringLiteral(inner)) literals.push(inner.text);
        ts.forEachChild(inner, collect);
      };
      collect(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new Error('server/src/http/graphql-errors.ts no longer declares EXPECTED_CODES');
  return literals;
}

describe("the SDK's ErrorCode", () => {
  const transport = ['NETWORK_ERROR', 'BAD_RESPONSE'];

  test("is exactly the server's codes (its ErrorCode enum and the Apollo codes it passes through), plus the SDK's transport codes", () => {
    const server = new Set<string>([...Object.values(ServerErrorCode), ...passedThroughCodes()]);
    const sdk = Object.values(ErrorCode).filter((code) => !transport.includes(code));
    const missing = [...server].filter((code) => !sdk.includes(code as ErrorCode));
    const extra = sdk.filter((code) => !server.has(code));
    if (missing.length || extra.length)
      throw new Error(
        `ErrorCode of @nokkel/client-sdk differs from the server: missing ${missing.join(', ') || 'none'}, ` +
          `not sent by the server ${extra.join(', ') || 'none'}. Run npm run codegen.`,
      );
    expect(sdk.sort()).toEqual([...server].sort());
  });

  test('names GRAPHQL_PARSE_FAILED, which it once missed, and keeps the transport codes', () => {
    expect(ErrorCode.GRAPHQL_PARSE_FAILED).toBe('GRAPHQL_PARSE_FAILED');
    expect(ErrorCode.NETWORK_ERROR).toBe('NETWORK_ERROR');
    expect(ErrorCode.BAD_RESPONSE).toBe('BAD_RESPONSE');
    for (const [name, value] of Object.entries(ErrorCode)) expect(name).toBe(value);
  });
});

describe('JSDoc of the generated methods', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
  const operationsDir = join(ROOT, 'client-sdk', 'operations');
  const operations = readdirSync(operationsDir)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(join(operationsDir, file), 'utf8')).definitions)
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const generated = readFileSync(join(ROOT, 'client-sdk', 'src', 'generated', 'sdk.ts'), 'utf8');
  const docs = new Map(
    [...generated.matchAll(/\/\*\*\n([\s\S]*?)\*\/\n\s*(\w+)\(variables/g)].map((m) => [
      m[2] ?? '',
      (m[1] ?? '')
        .split('\n')
        .map((line) => line.replace(/^\s*\*\s?/, ''))
        .join('\n'),
    ]),
  );

  test.each(operations.map((op) => [op.name?.value ?? '', op] as const))(
    '%s has JSDoc from its schema field: description, permission, variables',
    (name, operation) => {
      const doc = docs.get(name);
      expect(doc).toBeDefined();
      const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
      const rootField = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
      const field = rootField?.kind === Kind.FIELD ? root?.getFields()[rootField.name.value] : undefined;
      if (!field) throw new Error(`no root field for ${name}`);
      if (field.description) expect(doc).toContain(field.description.trim().replace(/\*\//g, '*\\/'));
      else expect(doc).toContain(`The \`${field.name}\` ${operation.operation}`);
      const requires = field.astNode?.directives?.find((d) => d.name.value === 'requires');
      if (requires) expect(doc).toMatch(/Requires|requires/);
      for (const variable of operation.variableDefinitions ?? [])
        expect(doc).toContain(`@param variables.${variable.variable.name.value}`);
      expect(doc).toContain('@throws {NokkelError}');
    },
  );
});
