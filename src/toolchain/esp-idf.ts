// ESP-IDF: `idf.py set-target <target>` then `idf.py build` in the project.
// set-target regenerates sdkconfig from sdkconfig.defaults on every build,
// so a changed runtime (ESP-NN on or off) always reaches the image.
// idf.py is Python: PYTHONUNBUFFERED makes it print through a pipe as it
// goes instead of in 8 KB bursts, which the progress line depends on.

import { join } from "node:path";
import type { ToolCommand } from "./command.js";
import { requireBoardKey, type BuildInput, type DetectContext, type FirmwareImage, type ToolchainDriver, type ToolDetection } from "./driver.js";
import { probeTool } from "./probe.js";

export const IDF_HINT =
  "Install ESP-IDF 5.x (https://docs.espressif.com/projects/esp-idf/en/stable/esp32/get-started/linux-macos-setup.html), " +
  "then run `. $HOME/esp/esp-idf/export.sh` in this shell so idf.py and IDF_PATH are set.";

export const PYTHON_ENV: Readonly<Record<string, string>> = { PYTHONUNBUFFERED: "1" };

export const espIdfDriver: ToolchainDriver = {
  id: "esp-idf",
  tool: "idf.py",
  async detect(_ctx?: DetectContext): Promise<ToolDetection> {
    const probe = await probeTool("idf.py", ["--version"]);
    const problems: string[] = [];
    if (probe && !process.env.IDF_PATH) problems.push("IDF_PATH is not set (ESP-IDF's export.sh sets it)");
    return {
      name: "ESP-IDF (idf.py)",
      found: probe !== null && problems.length === 0,
      ...(probe ? { path: probe.path, version: probe.version } : {}),
      hint: IDF_HINT,
      problems,
    };
  },
  buildCommands({ board, project }: BuildInput): ToolCommand[] {
    const target = requireBoardKey(board, "target");
    return [
      { argv: ["idf.py", "set-target", target], cwd: project.dir, env: { ...PYTHON_ENV } },
      { argv: ["idf.py", "build"], cwd: project.dir, env: { ...PYTHON_ENV } },
    ];
  },
  image({ project }: BuildInput): FirmwareImage {
    const outDir = join(project.dir, "build");
    return { elf: join(outDir, `${project.name}.elf`), outDir };
  },
};
