// @ts-check
/**
 * Copies the API's schema (schema/schema.graphql, emitted from the server) into the SDK package
 * at build time, so a partner's own codegen can read it from the installed package
 * (node_modules/@nokkel/client-sdk/schema.graphql) and it always matches the SDK's operations.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'client-sdk', 'package.json'), 'utf8'));
const schema = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8');
const body = schema.replace(/^(#[^\n]*\n)+/, '');
writeFileSync(
  join(ROOT, 'client-sdk', 'schema.graphql'),
  `# The Nøkkel API schema, shipped with @nokkel/client-sdk ${version} for your own codegen.\n${body}`,
);
