import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // PGlite instances are heavy (WASM); two workers match the two cores of our machines.
    maxWorkers: 2,
    env: { TZ: "UTC" },
  },
});
