// Rewrites the generated param-struct blocks of firmware/kernels/tml_kernels.h
// from src/codegen/aot/kernel-structs.ts (npm run gen:kernel-structs).
// test/codegen/kernel-structs.test.ts fails while the header is stale.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { regenerateKernelHeader } from "../src/codegen/aot/kernel-structs.js";

const header = fileURLToPath(new URL("../firmware/kernels/tml_kernels.h", import.meta.url));
const before = readFileSync(header, "utf8");
const after = regenerateKernelHeader(before);
if (after !== before) {
  // Temp sibling and rename: an interrupted run leaves the old header whole.
  writeFileSync(`${header}.tmp`, after);
  renameSync(`${header}.tmp`, header);
  console.log(`updated ${header}`);
} else {
  console.log(`${header} is up to date`);
}
