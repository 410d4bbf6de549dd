import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { BadUserInput } from '../../shared/errors';

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

/**
 * What a document asks of its inputs, in document order: a literal string already too long (the
 * document is refused whatever the variables), or a variable whose value the argument's (or input
 * field's) limit applies to.
 */
type LengthCheck = { name: string; tooLong: number } | { name: string; variable: string };

function planNode(name: string, node: ValueNode, plan: LengthCheck[]): void {
  switch (node.kind) {
    case Kind.STRING:
      if (node.value.length > limitFor(name)) plan.push({ name, tooLong: node.value.length });
      return;
    case Kind.VARIABLE:
      plan.push({ name, variable: node.name.value });
      return;
    case Kind.LIST:
      for (const item of node.values) planNode(name, item, plan);
      return;
    case Kind.OBJECT:
      for (const field of node.fields) planNode(field.name.value, field.value, plan);
      return;
    default:
  }
}

// Apollo keeps a parsed document for each query it has seen: a hot query's plan is made once
const plans = new WeakMap<DocumentNode, LengthCheck[]>();

function planOf(document: DocumentNode): LengthCheck[] {
  let plan = plans.get(document);
  if (!plan) {
    const checks: LengthCheck[] = [];
    visit(document, {
      Argument(node) {
        planNode(node.name.value, node.value, checks);
      },
    });
    plan = checks;
    plans.set(document, plan);
  }
  return plan;
}

/**
 * Refuses (BAD_USER_INPUT) any string argument longer than its limit, before anything looks it up
 * or counts it: each argument of the document is read once (fragments are not expanded), literal or
 * through a variable, with the argument's (or input field's) name choosing the limit.
 */
export function checkInputLengths(document: DocumentNode, variables: Record<string, unknown>): void {
  for (const check of planOf(document)) {
    if ('tooLong' in check) tooLong(check.name, check.tooLong, limitFor(check.name));
    else checkValue(check.name, variables[check.variable]);
  }
  // and variables no argument uses, at the general limit (a variable's own name says nothing)
  for (const value of Object.values(variables)) checkValue('', value);
}
