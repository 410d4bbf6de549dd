import { GraphQLObjectType, GraphQLSchema, GraphQLString, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { buildNokkelSchema } from '../../server/src/schema/build-schema';
import { PRELOADED_RELATIONS, answerPreloadedRelations } from '../../server/src/schema/preloaded-relations';

function resolverOf(typeName: string, field: string) {
  const type = buildNokkelSchema().getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const resolve = type.getFields()[field].resolve;
  if (!resolve) throw new Error(`${typeName}.${field} has no resolver`);
  return resolve;
}

const info = {} as GraphQLResolveInfo;

describe('relations answered from the row they came with', () => {
  it.each(PRELOADED_RELATIONS)('$field of $type answers the loaded relation without loading it', ({ type, field }) => {
    const related = { id: 'loaded-with-the-link' };
    const byId = jest.fn(() => {
      throw new Error('must not load what the row brought');
    });
    const value = resolverOf(type, field)({ [field]: related }, {}, { loaders: { byId } }, info);
    expect(value).toBe(related);
    expect(byId).not.toHaveBeenCalled();
  });

  it('ClientLink.client and .template load by id when the link came without them', async () => {
    const load = jest.fn((id: string) => Promise.resolve({ id, loaded: true }));
    const byId = jest.fn((_kind: string) => ({ load }));
    const link = { clientId: 'company-1', templateId: 'template-1' };
    const context = { loaders: { byId } };
    await expect(resolverOf('ClientLink', 'client')(link, {}, context, info)).resolves.toEqual({
      id: 'company-1',
      loaded: true,
    });
    await expect(resolverOf('ClientLink', 'template')(link, {}, context, info)).resolves.toEqual({
      id: 'template-1',
      loaded: true,
    });
    expect(byId.mock.calls.map(([kind]) => kind)).toEqual(['company', 'accessTemplate']);
  });

  it('a listed field that is missing or has no resolver of its own is refused when the schema is built', () => {
    const plain = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'ClientLink', fields: { client: { type: GraphQLString } } }),
    });
    expect(() => answerPreloadedRelations(plain)).toThrow('ClientLink.client is not a field with a resolver');
  });
});
