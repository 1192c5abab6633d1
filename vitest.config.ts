import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // PGlite instances are heavy (WASM); two workers match the two cores of our machines.
    maxWorkers: 2,
    env: { TZ: "UTC" },
  },
});
