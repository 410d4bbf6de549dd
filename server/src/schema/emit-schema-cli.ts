import { readFileSync, writeFileSync } from 'node:fs';
import { SCHEMA_FILE, printNokkelSchema } from './print-schema';

/** `npm run schema:emit` writes schema/schema.graphql; with `--check` it fails if the file is stale. */
function main(): void {
  const sdl = printNokkelSchema();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // missing counts as drift
    }
    if (committed !== sdl) {
      console.error(`${SCHEMA_FILE} is out of date with the server code. Run: npm run schema:emit`);
      process.exit(1);
    }
    console.log(`${SCHEMA_FILE} is up to date.`);
    return;
  }
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`wrote ${SCHEMA_FILE} (${sdl.split('\n').length} lines)`);
}

main();
