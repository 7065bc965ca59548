// Builds fixtures/fuzz_protocol.c with the runtime and the fake model, for
// the fuzz test and bench/protocol-fuzz.ts.
import { join } from "node:path";
import { execa } from "execa";
import { SANITIZE, STRICT, fixturesDir, halDir, runtimeDir } from "./harness.js";

export async function buildFuzzer(dir: string): Promise<string> {
  const out = join(dir, "fuzz_protocol");
  const runtime = ["tml_cobs.c", "tml_crc.c", "tml_protocol.c", "tml_proto_server.c", "tml_profile.c", "tml_input_stage.c", "tml_proto_app.c"];
  await execa("cc", [
    ...STRICT, ...SANITIZE, "-DTML_APP_INPUT_STAGE_BYTES=1000", `-I${runtimeDir}`, `-I${halDir}`,
    ...runtime.map((f) => join(runtimeDir, f)), join(fixturesDir, "fuzz_protocol.c"), join(fixturesDir, "fake_model.c"), "-o", out,
  ]);
  return out;
}
