/** Layer rules of HOUSE-STYLE.md, enforced by `npm run check`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure rules: no other layer, no I/O modules',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        pathNot: ['^src/domain/', 'node_modules/zod'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'services-not-outward',
      comment: 'services use domain and adapter ports (types), never interfaces or the emulator',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: ['^src/interfaces/', '^src/emulator/', '^src/(main\\.ts|wiring/)', '^src/config\\.ts$'] },
    },
    {
      name: 'services-adapter-types-only',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-not-inward',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: ['^src/services/', '^src/interfaces/', '^src/emulator/', '^src/(main\\.ts|wiring/)'] },
    },
    {
      name: 'interfaces-no-db-no-emulator',
      comment: 'routes, commands, pages and workers go through services',
      severity: 'error',
      from: { path: '^src/interfaces/' },
      to: { path: ['^src/adapters/db/', '^src/emulator/', '^src/(main\\.ts|wiring/)'] },
    },
    {
      name: 'emulator-standalone',
      severity: 'error',
      from: { path: '^src/emulator/' },
      to: { path: ['^src/services/', '^src/interfaces/', '^src/adapters/db/', '^src/(main\\.ts|wiring/)'] },
    },
    {
      name: 'production-never-imports-emulator',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/emulator/', '^src/(main\\.ts|wiring/)', '\\.test\\.ts$'] },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'only-config-reads-env',
      comment: 'config is parsed once in src/config.ts (checked by test/layers.test.ts for process.env)',
      severity: 'error',
      from: { path: '^src/(domain|services|adapters|interfaces)/' },
      to: { path: '^src/config\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
