// The throwaway PostgreSQL cluster of tests (and benches): src/devtools/pg-cluster.ts.
export * from '../../src/devtools/pg-cluster.js';
