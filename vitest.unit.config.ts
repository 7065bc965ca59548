// The fast tier for the edit-test loop (`npm run test:unit`): the tests that
// need no C compiler, no emulator and no serial relay — the TypeScript
// pipeline from model files to reports, checked against the same goldens.
// The full suite (`npm test`) runs these and everything else.
import { defineConfig } from "vitest/config";
import full from "./vitest.config.js";

// Spread, not mergeConfig: merging would append to the full suite's include list.
export default defineConfig({
  ...full,
  test: {
    ...full.test,
    include: [
      "test/architecture/**/*.test.ts",
      "test/unit/**/*.test.ts",
      "test/boards/**/*.test.ts",
      "test/audio/**/*.test.ts",
      "test/codegen/c-syntax.test.ts",
      "test/codegen/fc-pack.test.ts",
      "test/codegen/plan.test.ts",
      "test/codegen/tflm.test.ts",
      "test/device/cobs.test.ts",
      "test/device/crc.test.ts",
      "test/device/frame.test.ts",
      "test/device/protocol-ids.test.ts",
      "test/fuzz/**/*.test.ts",
      "test/golden/**/*.test.ts",
      "test/model/**/*.test.ts",
      "test/monitor/kept.test.ts",
      "test/project/project-file.test.ts",
      "test/project/schema.test.ts",
      "test/project/usage-errors.test.ts",
      "test/quantize/**/*.test.ts",
      "test/signal/reference.test.ts",
      "test/signal/options.test.ts",
      "test/validate/units.test.ts",
      "test/validate/float-ulp.test.ts",
      "test/vendor/render.test.ts",
      "test/vendor/build.test.ts",
      "test/vendor/doctor.test.ts",
      "test/wakeword/labels.test.ts",
      "test/wakeword/metrics.test.ts",
      "test/wakeword/pipeline.test.ts",
      "test/wakeword/smoothing.test.ts",
    ],
    // Decoded by Debian's flatc: a tool, so the full suite's.
    exclude: ["test/model/flatc-independent.test.ts"],
  },
});
