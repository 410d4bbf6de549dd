import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { BadUserInput } from '../shared/errors';

/** The longest string any argument or input field takes, unless named in STRING_LIMITS. */
export const MAX_STRING_INPUT = 2000;

/**
 * Tighter limits by argument or input-field name. An email is at most 254 characters (RFC 5321);
 * a search pattern is short (the database refuses long LIKE patterns); a password is hashed, so a
 * huge one only costs CPU.
 */
export const STRING_LIMITS: Readonly<Record<string, number>> = {
  email: 254,
  password: 1024,
  search: 200,
  after: 1000, // a cursor holds a sort key (a name of up to 200 characters) in base64
};

function limitFor(name: string): number {
  return STRING_LIMITS[name] ?? MAX_STRING_INPUT;
}

function tooLong(name: string, length: number, max: number): never {
  const message = `is ${length} characters long; at most ${max} are allowed`;
  throw new BadUserInput(name ? [{ field: name, message }] : `A string ${message}.`);
}

/** Checks every string in a JS value (a variable's value), naming it by its nearest key. */
function checkValue(name: string, value: unknown, depth = 0): void {
  if (typeof value === 'string') {
    const max = limitFor(name);
    if (value.length > max) tooLong(name, value.length, max);
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(name, item, depth + 1);
  } else if (value && typeof value === 'object' && depth < 20) {
    for (const [key, inner] of Object.entries(value)) checkValue(key, inner, depth + 1);
  }
}

function checkNode(name: string, node: ValueNode, variables: Record<string, unknown>): void {
  switch (node.kind) {
    case Kind.STRING: {
      const max = limitFor(name);
      if (node.value.length > max) tooLong(name, node.value.length, max);
      return;
    }
    case Kind.VARIABLE:
      return checkValue(name, variables[node.name.value]);
    case Kind.LIST:
      for (const item of node.values) checkNode(name, item, variables);
      return;
    case Kind.OBJECT:
      for (const field of node.fields) checkNode(field.name.value, field.value, variables);
      return;
    default:
  }
}

/**
 * Refuses (BAD_USER_INPUT) any string argument longer than its limit, before anything looks it up
 * or counts it: each argument of the document is read once (fragments are not expanded), literal or
 * through a variable, with the argument's (or input field's) name choosing the limit.
 */
export function checkInputLengths(document: DocumentNode, variables: Record<string, unknown>): void {
  visit(document, {
    Argument(node) {
      checkNode(node.name.value, node.value, variables);
    },
  });
  // and variables no argument uses, at the general limit (a variable's own name says nothing)
  for (const value of Object.values(variables)) checkValue('', value);
}
