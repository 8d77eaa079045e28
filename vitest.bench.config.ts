import { defineConfig } from 'vitest/config';

// `npm run bench:ui`: the page's timings in Chromium. They are measurements, reported to
// out/e2e-timings.json, never assertions of `npm test`.
export default defineConfig({
  test: {
    include: ['bench/ui/**/*.timing.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
