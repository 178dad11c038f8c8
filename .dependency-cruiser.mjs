// Layer rules (issue #15), checked by `npm run lint` (depcruise over dialogs src channels bin) and proved to bite by
// test/bin/layer-lint.test.ts. The README's picture, enforced: dialogs/ is pure (no engine, no channel, no files),
// channels/ never reach the database, only the entry points wire channels in, and nothing imports itself in a circle.
// Tests are not cruised: a test may import anything.
//
// Type-only imports (`import type`) are seen (tsPreCompilationDeps): a type from src/ still ties dialogs/ to the engine.
// Cycles are the exception: one closed only by an `import type` is erased by the compiler and cannot leave a module
// half-loaded at run time, so the cycle rule counts only cycles with no type-only link (dialogs/types.ts and
// channels/web-chat/direct-line.ts ↔ activity-page.ts have such type cycles).

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'dialogs-not-engine',
      comment: 'dialogs/ is pure: it imports nothing from src/ (engine, storage, configuration, errors) or channels/.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: '^(src|channels)/' },
    },
    {
      // The one exception, dialogs/understand/chinese-nlp.ts, reads the jieba dictionary (dict.txt) shipped inside the
      // npm package @node-rs/jieba: a file of an installed package, never the deployment's, read the way jieba's own
      // loader would, only filtered on the way in to save 18 MB.
      name: 'dialogs-no-file-system',
      comment:
        'dialogs/ reads no files: src/ reads what a dialog needs (routing.yaml) and hands it in; packaged data is required as a module.',
      severity: 'error',
      from: { path: '^dialogs/', pathNot: '^dialogs/understand/chinese-nlp\\.ts$' },
      to: { path: '^(node:)?fs(/promises)?$' },
    },
    {
      name: 'channels-not-store',
      comment: 'channels/ turn traffic into Inbound messages and render replies; they never touch SQL (src/store/).',
      severity: 'error',
      from: { path: '^channels/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'channels-only-from-entry-points',
      comment:
        'Only the composition root wires channels in: src/main.ts, src/compose/ (what it builds) and src/cli/ (the command line).',
      severity: 'error',
      // dialogs/ has its own rule above; channels/ may use each other; tests may import anything.
      from: { pathNot: '^(channels|dialogs|test)/|^src/main\\.ts$|^src/(cli|compose)/' },
      to: { path: '^channels/' },
    },
    {
      name: 'no-run-time-cycles',
      comment: 'No circular imports, unless an `import type` (erased by the compiler) closes the circle.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data|test-artifacts)/' },
    tsPreCompilationDeps: true,
    // process.getBuiltinModule('fs') reaches the file system too.
    detectProcessBuiltinModuleCalls: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
