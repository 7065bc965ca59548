// The `tinyml` command line: global options, then one module per command.

import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { ExitCodes } from "../errors.js";
import { closest } from "../util/suggest.js";
import { tinymlVersion } from "../paths.js";
import { commands } from "./commands.js";
import { buildOptionTable, registerOptionTable, type CommandOptionTable } from "./project.js";
import type { GlobalOptions } from "./output.js";
import { installSignalHandlers } from "../util/lifecycle.js";
// QDQ-quantized ONNX models become int8 through the quantizer, which registers itself with the ONNX loader.
import "../quantize/qdq.js";

export async function main(argv: string[]): Promise<void> {
  const optionTable = buildOptionTable(commands);
  let y: Argv<GlobalOptions> = yargs(argv)
    .scriptName("tinyml")
    .usage("$0 <command> [options]\n\nBuild, flash and verify TinyML firmware.")
    .option("json", { type: "boolean", default: false, describe: "Print one JSON document on stdout" })
    .option("verbose", { type: "boolean", default: false, describe: "Show tool output and debug detail" })
    .option("environment", { alias: "e", type: "string", describe: "An environment of the project file (tinyml.yaml)" })
    .version(tinymlVersion)
    .alias("h", "help")
    .strict()
    .recommendCommands()
    .demandCommand(1, "Name a command: tinyml <command> --help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error[TML_E_USAGE]: ${msg}${unknownOptionHint(msg, argv, optionTable)}\n  hint: run \`tinyml <command> --help\`\n`);
      process.exit(ExitCodes.usage);
    });
  registerOptionTable(optionTable);
  for (const c of commands) {
    y = y.command(
      c.usage,
      c.describe,
      (b) => c.builder(b),
      (args) => c.handler(args as Record<string, unknown>),
    );
  }
  await y.parseAsync();
}

/** Options every command takes (main's own), beside each command's. */
const GLOBAL_OPTIONS = ["json", "verbose", "environment", "help", "version"];

/** "Unknown argument: boards" → " Did you mean --board?", from the options of the command on the line. */
function unknownOptionHint(msg: string, argv: readonly string[], table: CommandOptionTable): string {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return "";
  const command = argv.find((a) => !a.startsWith("-"));
  const known = [...GLOBAL_OPTIONS, ...[...(table.spellings.get(command ?? "")?.values() ?? [])].flat().filter((k) => k.length > 1)];
  return m[1]!.split(", ").map((word) => [word, closest(word, known)] as const)
    .filter(([, c]) => c !== undefined)
    .map(([w, c]) => ` Did you mean --${c} (not ${w.length === 1 ? "-" : "--"}${w})?`).join("");
}

// Ctrl-C, a CI timeout's SIGTERM or a closed terminal stop every child process and remove every temp dir.
installSignalHandlers();
await main(hideBin(process.argv));
