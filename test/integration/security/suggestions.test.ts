import { useWorld } from '../../testkit/run';

const kit = useWorld({
  config: { env: 'production', introspection: false, explorer: false, debugErrors: false },
  seed: false,
});

const SET = 'mutation ($p: [Permission!]!) { setUserKeyPermissions(id: "k", permissions: $p) { id } }';
const CREATE = 'mutation ($t: AccessTemplateInput!) { createAccessTemplate(input: $t) { id } }';

describe('no "Did you mean" in production (finding 12)', () => {
  test('a variable with a misspelt enum value gets no suggestion', async () => {
    const res = await kit.app.api.request(SET, { p: ['LOGINN'] });
    expect(res.status).toBe(400);
    expect(res.errors[0].message).toMatch(/LOGINN/);
    expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean|"LOGIN"/);
  });

  test('a variable with a misspelt input field gets no suggestion', async () => {
    const res = await kit.app.api.request(CREATE, { t: { nmae: 'x', permissions: ['LOGIN'] } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean/);
  });

  test('literal misspellings of enum values, arguments, fields and types get none either', async () => {
    for (const query of [
      'mutation { setUserKeyPermissions(id: "k", permissions: [LOGINN]) { id } }',
      'mutation { setUserKeyPermissions(idd: "k", permissions: [LOGIN]) { id } }',
      '{ permisions { permission } }',
      'query ($p: Permision) { permissions { permission } }',
      '{ permissions { ... on PermisionInfo { permission } } }',
    ]) {
      const res = await kit.app.api.request(query);
      expect(res.errors.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean/);
    }
  });
});
