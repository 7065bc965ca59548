// Bundle the CLI once before any test runs it as a process, so parallel
// test files never race to rebuild dist/.
import { bundle } from "../scripts/bundle.mjs";

export default async function setup(): Promise<void> {
  await bundle();
}
