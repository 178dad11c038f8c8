/**
 * SQL has one home (issue #15): no source file of src/, channels/ or dialogs/ outside src/store/ writes a statement.
 * The check reads the string and template literals of each file (comments and identifiers are not SQL) with the
 * TypeScript parser and looks for the shapes our statements take, upper case as the code writes them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const FOLDERS = ['src', 'channels', 'dialogs'];
const HOME = 'src/store/';

/**
 * Files outside src/store/ that may hold SQL, and why. pg-boss's own statements need no entry: src/jobs/pg-boss.ts
 * only hands pg-boss's text to our connection (its executor adapter) and writes none itself.
 */
// None today: a file that must hold SQL outside the store is listed here with its reason, for a reviewer to question.
const ALLOWED: Record<string, string> = {};

// Each pattern is anchored on a keyword and has no two adjacent parts that can match the same text: linear time.
const SHAPES: Array<[string, RegExp]> = [
  ['INSERT INTO', /\bINSERT\s+INTO\b/],
  ['UPDATE … SET', /\bUPDATE\s+\w+\s+(?:\w+\s+)?SET\b/],
  ['DELETE FROM', /\bDELETE\s+FROM\b/],
  ['FOR UPDATE', /\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b/],
  // A statement that only calls a function: SELECT pg_advisory_lock(…), set_config(…), nextval(…).
  ['SELECT f(…)', /\bSELECT\s+[a-z_]+\(/],
];

/** The text of every string and template literal of `source` (a template's pieces joined where `${…}` stood). */
function literals(source: string, fileName = 'x.ts'): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node))
      out.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ${…} '));
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return out;
}

/** The SQL shapes found in the literals of `source`, each named once, in the order of SHAPES. */
function sqlShapes(source: string, fileName?: string): string[] {
  const found = new Set<string>();
  for (const text of literals(source, fileName)) {
    // SELECT … FROM by position rather than by one pattern: a search that spans any text between them is not linear.
    const select = text.search(/\bSELECT\b/);
    if (select >= 0 && /\bFROM\b/.test(text.slice(select))) found.add('SELECT … FROM');
    for (const [name, shape] of SHAPES) if (shape.test(text)) found.add(name);
  }
  return ['SELECT … FROM', ...SHAPES.map(([name]) => name)].filter((name) => found.has(name));
}

/** Every .ts file of FOLDERS, as a path from the repository root with forward slashes, sorted. */
function sourceFiles(): string[] {
  return FOLDERS.flatMap((folder) =>
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts'))
      .map((path) => join(folder, path).split('\\').join('/')),
  ).sort();
}

let scanned: Map<string, string[]> | undefined;
/** The SQL shapes of each file outside src/store/ whose literals hold SQL (the tree is read once per run). */
function sqlOutsideStore(): Map<string, string[]> {
  if (scanned) return scanned;
  const out = (scanned = new Map<string, string[]>());
  for (const path of sourceFiles()) {
    if (path.startsWith(HOME)) continue;
    const shapes = sqlShapes(readFileSync(path, 'utf8'), path);
    if (shapes.length) out.set(path, shapes);
  }
  return out;
}

describe('SQL lives in src/store/', () => {
  it('finds statements as the code writes them, and nothing in comments, identifiers or prose', () => {
    const code = [
      "const a = await db.query('SELECT id FROM tickets WHERE reference = $1', [ref]);",
      'const b = `INSERT INTO digests (kind) VALUES ($1)`;',
      'const c = `UPDATE tickets SET ${sets.join(", ")} WHERE id = $1`;',
      "const d = 'UPDATE ticket_events e SET data = x.data FROM x';",
      'const e = `DELETE FROM digests WHERE kind = $1`;',
      "const f = 'FOR NO KEY UPDATE SKIP LOCKED';",
      "const g = 'SELECT pg_advisory_lock(hashtext($1))';",
      'const h = `${PERIOD} SELECT category, count(*)::int AS n\n  FROM t GROUP BY 1`;',
    ];
    expect(code.map((line) => sqlShapes(line))).toEqual([
      ['SELECT … FROM'],
      ['INSERT INTO'],
      ['UPDATE … SET'],
      ['UPDATE … SET'],
      ['DELETE FROM'],
      ['FOR UPDATE'],
      ['SELECT f(…)'],
      ['SELECT … FROM'],
    ]);
    const harmless = [
      '// SELECT id FROM tickets: a comment may quote a statement',
      '/** Runs INSERT INTO digests and DELETE FROM digests. */',
      'const selectFrom = INSERT_INTO + 1;',
      "const prompt = 'Please select the department you complaint is from.';",
      "const shout = 'SELECT YOUR LANGUAGE';",
      "const re = /SELECT .* FROM '/;",
    ];
    expect(harmless.flatMap((line) => sqlShapes(line))).toEqual([]);
  });

  it('no file outside src/store/ holds SQL, but the ones allowed above', () => {
    const offenders = [...sqlOutsideStore()]
      .filter(([path]) => !(path in ALLOWED))
      .map(([path, shapes]) => `${path}: ${shapes.join(', ')}`);
    expect(offenders, 'move these statements into a function of src/store/').toEqual([]);
  });

  it('every file allowed still holds SQL (remove the entries whose SQL has moved)', () => {
    const found = sqlOutsideStore();
    expect(Object.keys(ALLOWED).filter((path) => !found.has(path))).toEqual([]);
  });

  it('scans the real tree: src/store/ holds SQL and the walk reaches it', () => {
    const store = sourceFiles().filter((path) => path.startsWith(HOME));
    expect(store).toContain('src/store/tickets.ts');
    expect(sqlShapes(readFileSync('src/store/tickets.ts', 'utf8'))).toContain('SELECT … FROM');
  });
});
