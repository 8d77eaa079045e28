import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every build the tests load (CLI, workers, page) is made fresh once, before any file runs.
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file runs in its own process, so worker threads and Chromium die with their file.
    pool: 'forks',
  },
});
