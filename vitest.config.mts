import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    globalSetup: ['test/setup/cli-bundle.ts'],
    testTimeout: 30_000,
  },
});
