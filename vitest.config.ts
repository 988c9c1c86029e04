// Test runner configuration: unit tests sit next to the code, integration tests under test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Starts a throwaway PostgreSQL server for the store tests (see test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
