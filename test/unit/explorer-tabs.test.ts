import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { EXPLORER_TABS } from '../../server/src/http/explorer';

/** The explorer's tabs are run by hand against the live schema: each must be a valid document. */
const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));

test.each(EXPLORER_TABS.map((tab) => [tab.query.match(/^(query|mutation) (\w+)/m)?.[2] ?? '?', tab.query]))(
  'the explorer tab %s is valid against the schema',
  (_name, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  },
);

test('R36: the explorer has a tab for the access event feed', () => {
  expect(EXPLORER_TABS.some((tab) => /accessEvents\(/.test(tab.query))).toBe(true);
});
