// @ts-check
/**
 * graphql-codegen plugin: writes client-sdk/src/generated/sdk.ts, one method per operation of
 * client-sdk/operations, each with a JSDoc comment built from the schema (the root field's
 * description, the permission its @requires directive names, its arguments' descriptions) and
 * the comment above the operation in its .graphql file. Generated, so that no method's
 * documentation is written (or forgotten) by hand.
 */
const { Kind, getNamedType, isInputObjectType, print } = require('graphql');

/** @typedef {import('graphql').GraphQLSchema} GraphQLSchema */
/** @typedef {import('graphql').GraphQLField<unknown, unknown>} GraphQLField */
/** @typedef {import('graphql').OperationDefinitionNode} OperationDefinitionNode */
/** @typedef {{ document?: import('graphql').DocumentNode, location?: string, rawSDL?: string }} DocumentFile */

/** @param {string} name */
function pascal(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Text that cannot end the comment it is put in. @param {string} text */
function safe(text) {
  return text.replace(/\*\//g, '*\\/').trim();
}

/** The `# …` lines right above an operation in its .graphql file. @param {OperationDefinitionNode} operation */
function leadingComment(operation) {
  const loc = operation.loc;
  if (!loc) return [];
  const before = loc.source.body.slice(0, loc.start).split('\n');
  before.pop(); // the part of the operation's own line before `query`/`mutation` (empty)
  const lines = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const line = (before[i] ?? '').trim();
    if (!line.startsWith('#')) break;
    lines.unshift(line.replace(/^#\s?/, ''));
  }
  return lines;
}

/** "Requires the X permission." from the field's @requires directive, as the SDL shows it. @param {GraphQLField} field */
function requirement(field) {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'requires');
  if (!directive) return undefined;
  /** @type {string[]} */
  const permissions = [];
  for (const argument of directive.arguments ?? []) {
    const value = argument.value;
    if (value.kind === Kind.ENUM) permissions.push(value.value);
    if (value.kind === Kind.LIST)
      for (const item of value.values) if (item.kind === Kind.ENUM) permissions.push(item.value);
  }
  if (permissions.length === 0) return undefined;
  if (permissions.length === 1) return `Requires the ${permissions[0]} permission in the acting company.`;
  return `Requires one of the permissions ${permissions.join(', ')} in the acting company.`;
}

/**
 * The variables of an operation passed straight to an argument of its root field, with that
 * argument's description. @param {OperationDefinitionNode} operation @param {GraphQLField} field
 */
function variableDescriptions(operation, field) {
  /** @type {Map<string, string>} */
  const byVariable = new Map();
  const root = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === field.name);
  if (root?.kind !== Kind.FIELD) return byVariable;
  for (const argument of root.arguments ?? []) {
    if (argument.value.kind !== Kind.VARIABLE) continue;
    const arg = field.args.find((a) => a.name === argument.name.value);
    if (!arg) continue;
    const input = getNamedType(arg.type);
    const described = arg.description ?? (isInputObjectType(input) ? input.description : undefined);
    byVariable.set(argument.value.name.value, described ?? `The \`${arg.name}\` argument (\`${String(arg.type)}\`).`);
  }
  return byVariable;
}

/** @param {OperationDefinitionNode} operation @param {GraphQLField} field @param {string} file */
function jsDoc(operation, field, file) {
  const kind = operation.operation;
  const description = field.description?.trim();
  const returned = getNamedType(field.type).description?.trim();
  const lines = [
    description ||
      `The \`${field.name}\` ${kind}. Returns \`${String(field.type)}\`${returned ? `: ${returned.replace(/\.?$/, '.')}` : '.'}`,
  ];
  const requires = requirement(field);
  if (requires && !/\brequires\b/i.test(description ?? '')) lines.push('', requires);
  const comment = leadingComment(operation);
  if (comment.length) lines.push('', ...comment);
  lines.push('', `Selection: the \`${operation.name?.value}\` ${kind} of \`operations/${file}\`.`);
  const variables = operation.variableDefinitions ?? [];
  if (variables.length) {
    const described = variableDescriptions(operation, field);
    lines.push('', '@param variables The variables of the operation.');
    for (const definition of variables) {
      const name = definition.variable.name.value;
      const text =
        described.get(name) ??
        `An option of this operation (\`${print(definition.type)}\`${definition.defaultValue ? `, default \`${print(definition.defaultValue)}\`` : ''}).`;
      lines.push(`@param variables.${name} ${text}`);
    }
  }
  lines.push('@param options Per-call options: extra headers, an abort signal.');
  lines.push(`@returns The data of the response: \`{ ${field.name} }\`.`);
  lines.push('@throws {NokkelError} When the response carries errors, or no GraphQL response came.');
  if (field.deprecationReason) lines.push(`@deprecated ${field.deprecationReason}`);
  const text = lines.flatMap((line) => safe(line).split('\n'));
  return ['/**', ...text.map((line) => (line.trim() ? ` * ${line.trimEnd()}` : ' *')), ' */'];
}

/**
 * @param {GraphQLSchema} schema
 * @param {DocumentFile[]} documents
 */
function plugin(schema, documents) {
  /** @type {string[]} */
  const methods = [];
  for (const file of documents) {
    const fileName = (file.location ?? '').split(/[\\/]/).pop() ?? '';
    for (const definition of file.document?.definitions ?? []) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      if (!name) throw new Error(`An operation in ${fileName} has no name: the SDK names its methods after them.`);
      const root = definition.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
      if (definition.operation === 'subscription' || !root) continue;
      const rootField = definition.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
      const field = rootField?.kind === Kind.FIELD ? root.getFields()[rootField.name.value] : undefined;
      if (!field) throw new Error(`Operation ${name} in ${fileName} selects no field of ${root.name}.`);
      const type = `${pascal(name)}${pascal(definition.operation)}`;
      const required = (definition.variableDefinitions ?? []).some(
        (v) => v.type.kind === Kind.NON_NULL_TYPE && v.defaultValue === undefined,
      );
      methods.push(
        ...jsDoc(definition, field, fileName).map((line) => `    ${line}`),
        `    ${name}(variables${required ? '' : '?'}: Operations.${type}Variables, options?: C): Promise<Operations.${type}> {`,
        `      return requester<Operations.${type}, Operations.${type}Variables>(Operations.${pascal(name)}Document, variables, options);`,
        '    },',
      );
    }
  }
  return [
    "import type { DocumentNode } from 'graphql';",
    "import * as Operations from './graphql';",
    '',
    '/** Sends one operation and resolves to its data (the client throws NokkelError on errors). */',
    'export type Requester<C = object> = <R, V>(document: DocumentNode, variables?: V, options?: C) => Promise<R>;',
    '',
    '/** One typed method per operation of client-sdk/operations, named after its root field. */',
    'export function getSdk<C>(requester: Requester<C>) {',
    '  return {',
    ...methods,
    '  };',
    '}',
    '',
  ].join('\n');
}

module.exports = { plugin };
