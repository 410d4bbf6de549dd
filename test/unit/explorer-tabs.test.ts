import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { parse as parseDocument, print } from 'graphql';
import { EXPLORER_TAB_OPERATIONS, explorerTabs } from '../../server/src/http/explorer';

/** The explorer's tabs are run by hand against the live schema: each must be a valid document. */
const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));

test.each(explorerTabs().map((tab) => [tab.query.match(/^(query|mutation) (\w+)/m)?.[2] ?? '?', tab.query]))(
  'the explorer tab %s is valid against the schema',
  (_name, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  },
);

test('R36: the explorer has a tab for the access event feed', () => {
  expect(explorerTabs().some((tab) => /accessEvents\(/.test(tab.query))).toBe(true);
});

test('each tab runs the SDK’s own operations, exactly as client-sdk/operations writes them', () => {
  const sdk = new Map<string, string>();
  for (const file of readdirSync(join(__dirname, '..', '..', 'client-sdk', 'operations')))
    for (const definition of parseDocument(
      readFileSync(join(__dirname, '..', '..', 'client-sdk', 'operations', file), 'utf8'),
    ).definitions)
      if ('name' in definition && definition.name) sdk.set(definition.name.value, print(definition));
  explorerTabs().forEach((tab, i) => {
    const operations = parseDocument(tab.query).definitions.filter((d) => d.kind === 'OperationDefinition');
    expect(operations.map((d) => ('name' in d ? d.name?.value : null))).toEqual(EXPLORER_TAB_OPERATIONS[i]);
    for (const definition of parseDocument(tab.query).definitions) {
      const name = 'name' in definition ? definition.name?.value : undefined;
      expect({ name, same: name !== undefined && sdk.get(name) === print(definition) }).toEqual({ name, same: true });
    }
  });
});
