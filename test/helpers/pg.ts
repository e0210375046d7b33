// A throwaway PostgreSQL cluster per test file: see src/devtools/pg-cluster.ts (shared with the benchmarks).
export { freePort, pgBinDir, startPostgres, type TestPostgres } from '../../src/devtools/pg-cluster.js';
