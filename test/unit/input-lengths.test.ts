import { parse } from 'graphql';
import { MAX_STRING_INPUT, STRING_LIMITS, checkInputLengths } from '../../server/src/http/cost/input-lengths';

const refusal = (query: string, variables: Record<string, unknown> = {}): string | null => {
  try {
    checkInputLengths(parse(query), variables);
    return null;
  } catch (error) {
    return `${(error as { extensions: { code: string } }).extensions.code}: ${(error as Error).message}`;
  }
};

describe('string argument lengths', () => {
  test('the argument’s name chooses the limit, literal or through a variable', () => {
    const long = 'x'.repeat(STRING_LIMITS.search + 1);
    expect(refusal(`{ employees(search: "${long}") { totalCount } }`)).toMatch(/^BAD_USER_INPUT: search: is 201/);
    expect(refusal('query ($q: String) { employees(search: $q) { totalCount } }', { q: long })).toMatch(/search/);
    // the same length is fine where the general limit applies, whatever the variable is called
    expect(refusal('mutation ($search: String!) { renameX(name: $search) }', { search: long })).toBeNull();
  });

  test('input-object fields are named by their field, in literals and in variables', () => {
    const email = `${'a'.repeat(STRING_LIMITS.email)}@x.example`;
    expect(refusal(`mutation { addClient(input: { email: "${email}" }) { id } }`)).toMatch(/email: is/);
    expect(refusal('mutation ($i: AddClientInput!) { addClient(input: $i) { id } }', { i: { email } })).toMatch(
      /email: is/,
    );
    expect(
      refusal('mutation ($i: X!) { f(input: $i) }', { i: { items: [{ note: 'n'.repeat(MAX_STRING_INPUT + 1) }] } }),
    ).toMatch(/note: is 2001/);
  });

  test('a variable no argument uses is held to the general limit', () => {
    expect(
      refusal('query ($unused: String) { company { name } }', { unused: 'u'.repeat(MAX_STRING_INPUT + 1) }),
    ).toMatch(/^BAD_USER_INPUT: A string is 2001 characters long/);
    expect(
      refusal('query ($unused: String) { company { name } }', { unused: 'u'.repeat(MAX_STRING_INPUT) }),
    ).toBeNull();
  });
});
