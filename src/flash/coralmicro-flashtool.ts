// Coral Dev Board Micro: coralmicro's scripts/flashtool.py with the build
// directory (it takes the ELFLoader bootloader from there) and the app ELF,
// as the out-of-tree sample documents. The board is named by its USB serial
// number, not a tty; flashtool prefers $CORAL_MICRO_SERIAL over --serial,
// so both are set to the same board. flashtool reports some failures (no
// board, several boards, missing files) on stdout and exits 0: those lines
// fail the step.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_NAME } from "../firmware-project/families.js";
import { CORALMICRO_HINT, CORALMICRO_OUT, coralmicroDir } from "../toolchain/coralmicro.js";
import type { ToolDetection } from "../toolchain/driver.js";
import { PYTHON_ENV } from "../toolchain/esp-idf.js";
import { probeTool } from "../toolchain/probe.js";
import type { Flasher, FlashInput } from "./flasher.js";

const FLASHTOOL = "scripts/flashtool.py";

export const FLASHTOOL_FAILURES = [
  "No Dev Board Micro devices detected!",
  "Multiple Dev Board Micros detected",
  "does not exist",
  "No elfloader found",
  "failed, exit",
];

export const coralmicroFlashtool: Flasher = {
  id: "coralmicro-flashtool",
  tool: "python3",
  async detect(buildDir?: string): Promise<ToolDetection> {
    const python = await probeTool("python3", ["--version"]);
    const sdk = coralmicroDir(buildDir);
    const problems: string[] = [];
    if (!sdk) problems.push("CORALMICRO_DIR is not set");
    else if (!existsSync(join(sdk, FLASHTOOL))) problems.push(`no ${FLASHTOOL} in ${sdk}`);
    return {
      name: "coralmicro flashtool.py",
      found: python !== null && problems.length === 0,
      ...(python ? { path: python.path, version: python.version } : {}),
      hint: `${CORALMICRO_HINT} Then \`python3 -m pip install -r $CORALMICRO_DIR/scripts/requirements.txt\`.`,
      problems,
    };
  },
  requiredFiles({ buildDir }) {
    return [join(buildDir, CORALMICRO_OUT, PROJECT_NAME)];
  },
  commands({ buildDir, port }: FlashInput) {
    const sdk = coralmicroDir(buildDir) ?? join(buildDir, "coralmicro");
    const serial = port.serialNumber;
    return [
      {
        argv: ["python3", join(sdk, FLASHTOOL), "--build_dir", CORALMICRO_OUT, "--elf_path", `${CORALMICRO_OUT}/${PROJECT_NAME}`, ...(serial ? ["--serial", serial] : [])],
        cwd: buildDir,
        env: { ...PYTHON_ENV, ...(serial ? { CORAL_MICRO_SERIAL: serial } : {}) },
        failOn: FLASHTOOL_FAILURES,
      },
    ];
  },
};
