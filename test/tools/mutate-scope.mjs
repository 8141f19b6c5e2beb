// Line ranges of named methods, for StrykerJS's `file:start-end` mutate patterns. Stryker selects
// mutants by file and line range only; computing the ranges from the method names each run keeps
// the configuration on those methods when the file moves (a missing name is an error, not a
// silently empty scope).
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** `file:start-end` (1-based, inclusive) for each named method of the file's classes. */
export function methodRanges(file, names) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = new Map();
  const visit = (node) => {
    if (ts.isMethodDeclaration(node) && node.name && ts.isIdentifier(node.name) && names.includes(node.name.text)) {
      const line = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
      found.set(node.name.text, `${file}:${line(node.getStart(source))}-${line(node.getEnd())}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) throw new Error(`mutate scope: no method ${missing.join(', ')} in ${file}`);
  return names.map((n) => found.get(n));
}
