// Every command of the CLI, in the order `tinyml --help` lists them.
// Adding a command: one file in src/cli/ and one line here.

import type { RegisteredCommand } from "./command.js";
import { inspectCommand } from "./inspect.js";
import { analyzeCommand } from "./analyze.js";
import { convertCommand } from "./convert.js";
import { predictCommand } from "./predict.js";
import { quantizeCommand } from "./quantize.js";
import { buildCommand } from "./build.js";
import { boardsCommand } from "./boards.js";
import { portsCommand } from "./ports.js";
import { flashCommand } from "./flash.js";
import { monitorCommand } from "./monitor.js";
import { doctorCommand } from "./doctor.js";
import { testCommand } from "./test.js";
import { benchCommand } from "./bench.js";
import { initCommand } from "./init.js";
import { finetuneCommand } from "./finetune.js";
import { evaluateCommand } from "./evaluate.js";

export const commands: readonly RegisteredCommand[] = [
  initCommand,
  inspectCommand,
  analyzeCommand,
  convertCommand,
  predictCommand,
  finetuneCommand,
  evaluateCommand,
  quantizeCommand,
  buildCommand,
  boardsCommand,
  portsCommand,
  flashCommand,
  monitorCommand,
  testCommand,
  benchCommand,
  doctorCommand,
];
