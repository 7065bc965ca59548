// A recording stand-in for the vendor tools that cannot be installed here
// (idf.py, arduino-cli, esptool.py, coralmicro's flashtool.py) and for
// cmake/make when they drive the coralmicro SDK. Each call appends one JSON
// line {tool, argv, cwd, env} to $TINYML_FAKE_LOG, prints what the real tool
// prints in outline, and creates the artifacts later steps look for.
// $TINYML_FAKE_FAIL="<tool> <first arg>" makes that call fail like a
// compiler error (exit 2); $TINYML_FAKE_NO_BOARD makes flashtool find no board.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const [tool, ...argv] = process.argv.slice(2);
const ENV_KEYS = ["PYTHONUNBUFFERED", "IDF_PATH", "CORALMICRO_DIR", "CORAL_MICRO_SERIAL"];
const env = Object.fromEntries(ENV_KEYS.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
if (process.env.TINYML_FAKE_LOG) {
  appendFileSync(process.env.TINYML_FAKE_LOG, `${JSON.stringify({ tool, argv, cwd: process.cwd(), env })}\n`);
}

const fail = process.env.TINYML_FAKE_FAIL;
if (fail && `${tool} ${argv[0] ?? ""}`.trim() === fail) {
  console.log(`[ 97%] Building C object main/model.c.obj`);
  console.error("main/model.c: In function 'tml_model_invoke':");
  console.error("main/model.c:42:5: error: implicit declaration of function 'tml_conv2d_s8' [-Werror=implicit-function-declaration]");
  console.error("   42 |     tml_conv2d_s8(&p0, t0, t1);");
  console.error("cc1: some warnings being treated as errors");
  console.error("ninja: build stopped: subcommand failed.");
  process.exit(2);
}

const touch = (path, text = "fake\n") => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};
const say = (...lines) => lines.forEach((l) => console.log(l));

switch (tool) {
  case "idf.py":
    if (argv[0] === "--version") say("ESP-IDF v5.2.1");
    else if (argv[0] === "set-target") say(`Set Target to: ${argv[1]}, new sdkconfig will be created.`, "-- Configuring done");
    else if (argv[0] === "build") {
      say("Executing \"ninja all\"...", "[1/3] Building C object esp-idf/main/CMakeFiles/__idf_main.dir/model.c.obj", "Project build complete.");
      touch("build/tinyml_app.elf");
      touch("build/flash_args", "--flash_mode dio --flash_size 4MB\n0x1000 bootloader/bootloader.bin\n0x10000 tinyml_app.bin\n0x8000 partition_table/partition-table.bin\n");
    }
    break;
  case "arduino-cli":
    if (argv[0] === "version") say("arduino-cli  Version: 1.1.1 Commit: fakecommit Date: 2024-11-28T00:00:00Z");
    else if (argv[0] === "core") say("ID                Installed Latest Name", "arduino:mbed_nano 4.2.1     4.2.1  Arduino Mbed OS Nano Boards");
    else if (argv[0] === "lib") say("Name                   Installed   Available Location Description", "Arduino_TensorFlowLite 2.4.0-ALPHA -         user     -");
    else if (argv[0] === "compile") {
      const out = argv[argv.indexOf("--output-dir") + 1];
      const sketch = argv[argv.length - 1];
      say("Sketch uses 123456 bytes (12%) of program storage space. Maximum is 983040 bytes.");
      touch(join(out, `${basename(sketch)}.ino.elf`));
      touch(join(out, `${basename(sketch)}.ino.bin`));
    } else if (argv[0] === "upload") say("Device       : nRF52840-QIAA", "Upload done.");
    break;
  case "cmake":
    if (argv[0] === "--version") say("cmake version 3.25.1");
    else {
      say("-- The C compiler identification is GNU 9.3.1", "-- Configuring done", "-- Generating done");
      touch(join(argv[argv.indexOf("-B") + 1], "Makefile"));
    }
    break;
  case "make":
    if (argv[0] === "--version") say("GNU Make 4.3");
    else {
      say("[100%] Linking CXX executable tinyml_app", "[100%] Built target tinyml_app");
      touch(join(argv[argv.indexOf("-C") + 1], "tinyml_app"));
    }
    break;
  case "esptool.py":
    if (argv[0] === "version") say("esptool.py v4.7.0", "4.7.0");
    else say("Connecting....", "Writing at 0x00010000... (100 %)", "Hash of data verified.", "Hard resetting via RTS pin...");
    break;
  case "python3":
    if (argv[0] === "--version") say("Python 3.11.7");
    // flashtool.py reports a missing board on stdout and still exits 0.
    else if (process.env.TINYML_FAKE_NO_BOARD) say("Finding all necessary files", "No Dev Board Micro devices detected!");
    else say("Finding all necessary files", "CHECK_FOR_ANY", "CHECK_FOR_ELFLOADER", "PROGRAM_ELFLOADER", "DONE");
    break;
  default:
    console.error(`fake-tool: unknown tool ${tool}`);
    process.exit(127);
}
