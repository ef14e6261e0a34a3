// Three tiers: unit tests beside the code (no servers), integration tests
// against the real PostgreSQL, and e2e tests through HTTP against the real
// stack. test/global-setup.ts starts the servers a tier needs.
//
// NestJS 12 (and a few other dependencies) ship ES modules only. Node 20.19+
// can require() them, but Jest's module runtime cannot, so SWC compiles them,
// and our TypeScript, to CommonJS for the tests.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const ESM_PACKAGES = ['@nestjs', 'jose', 'oidc-provider', '@medplum', 'libphonenumber-js', '@noble'];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const base = {
  testEnvironment: 'node',
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  // A bound for tests that start servers or wait on them; never an assertion about speed.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/test/e2e/(pipeline|steel-thread)[^/]*\\.e2e-spec\\.ts$'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
    {
      // Needs Kafka, Kafka Connect + Debezium and Elasticsearch besides PostgreSQL:
      // test/support/stack.ts starts them, registers the connector for the test
      // database, and removes it again afterwards (globalTeardown).
      ...base,
      displayName: 'pipeline',
      testMatch: ['<rootDir>/test/e2e/{pipeline,steel-thread}*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/stack.ts',
      globalTeardown: '<rootDir>/test/support/stack.ts',
    },
    {
      // Measurements through the real bridge and database (they print figures; not part of
      // npm test, which selects the projects above): npx jest --selectProjects measure.
      ...base,
      displayName: 'measure',
      testMatch: ['<rootDir>/test/measure/**/*.measure-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      testTimeout: 600000,
    },
  ],
};
