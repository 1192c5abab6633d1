import { defineConfig } from "vitest/config";

// The tests that compute with time run a second time under another zone: nothing may depend on the
// machine's TZ (the bot computes in BOT_TIMEZONE, default Asia/Shanghai).
const TIME_TESTS = [
  "test/dates/**/*.test.ts",
  "test/events/**/*.test.ts",
  "test/tasks/**/*.test.ts",
  "test/approvals/**/*.test.ts",
  "test/reports/**/*.test.ts",
  "test/jobs/scheduler.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // PGlite instances are heavy (WASM); two workers match the two cores of our machines.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "utc", include: ["test/**/*.test.ts"], env: { TZ: "UTC" } } },
      {
        extends: true,
        test: { name: "new-york", include: TIME_TESTS, env: { TZ: "America/New_York" } },
      },
    ],
  },
});
