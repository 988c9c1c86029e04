// Test runner configuration: unit tests sit next to the code, integration tests under test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Many tests start real tools (cloud-init, openssl, kubectl, Chromium) or servers; on a shared
    // two-core machine the 5 s default would turn load into failures. Timing is never asserted.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for something to happen (a page to update, a row to change), not for a time.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    // Starts a throwaway PostgreSQL server for the store tests (see test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
