/** `npm run docs`: regenerates docs/scenario-reference.md and docs/scenario.schema.json from the schema. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { referenceMarkdown, scenarioJsonSchema } from './reference.js';

mkdirSync('docs', { recursive: true });
writeFileSync('docs/scenario-reference.md', referenceMarkdown());
writeFileSync('docs/scenario.schema.json', `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log('wrote docs/scenario-reference.md, docs/scenario.schema.json');
