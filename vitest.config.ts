import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A hang guard only, far above any test's time: what waits on a compiler,
    // an emulator or a device is bounded by tinyml's own deadlines, which
    // stretch with the machine's load (src/util/load.ts), so a busy CI
    // runner takes longer instead of failing.
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
