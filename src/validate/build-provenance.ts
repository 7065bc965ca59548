// What the report says about how the firmware was built, read back from the
// build's own toolchain commands (the exact lines `--dry-run` prints): the
// compiler, the flags every compile shares, the -D definitions and the link
// flags, plus the budget the build checked. Read from the commands rather
// than from the family's data so the report shows what actually ran.

import type { FirmwareResult } from "../firmware-project/request.js";
import type { BuildProvenance } from "./report.js";

/** Splits `cd DIR && A=1 tool 'arg x' …` (toolchain/command.ts's quoting) into the tool's argv. */
export function commandArgv(line: string): string[] {
  const tokens: string[] = [];
  let cur = "";
  let quoted = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === "'") quoted = false;
      else cur += ch;
    } else if (ch === "'") {
      quoted = true;
      has = true;
    } else if (ch === "\\" && line[i + 1] === "'") {
      cur += "'";
      has = true;
      i++;
    } else if (ch === " ") {
      if (has || cur) tokens.push(cur);
      cur = "";
      has = false;
    } else cur += ch;
  }
  if (has || cur) tokens.push(cur);
  const amp = tokens.indexOf("&&");
  const argv = amp >= 0 ? tokens.slice(amp + 1) : tokens;
  // Environment assignments before the tool.
  while (argv.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) argv.shift();
  return argv;
}

/** Flags of a compile command that describe the build (not its files). */
function compileFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-c" || a === "-MMD") continue;
    if (a === "-o" || a === "-MF") {
      i++;
      continue;
    }
    if (!a.startsWith("-") || a.startsWith("-I")) continue;
    out.push(a);
  }
  return out;
}

export function buildProvenance(built: FirmwareResult): BuildProvenance {
  const argvs = built.commands.map(commandArgv);
  const compiles = argvs.filter((a) => a.includes("-c"));
  const link = argvs.filter((a) => !a.includes("-c") && a.includes("-o")).at(-1);
  const flagLists = compiles.map(compileFlags);
  const nonDefine = (f: string): boolean => !f.startsWith("-D");
  // The flags every compile shares, in the first compile's order.
  const shared = (flagLists[0] ?? []).filter((f) => nonDefine(f) && flagLists.every((l) => l.includes(f)));
  const defines = [...new Set(flagLists.flatMap((l) => l.filter((f) => !nonDefine(f))))];
  const linkFlags: string[] = [];
  if (link) {
    for (let i = 1; i < link.length; i++) {
      const a = link[i]!;
      if (a === "-o" || a === "-T") {
        if (a === "-T") linkFlags.push(`-T ${link[i + 1]}`);
        i++;
      } else if (a.startsWith("-")) linkFlags.push(a);
    }
  }
  return {
    ...(built.budget ? { budget: { flash: { used: built.budget.flash.used, budget: built.budget.flash.budget }, ram: { used: built.budget.ram.used, budget: built.budget.ram.budget }, source: built.budget.source } } : {}),
    runtime: built.runtime, app: built.app,
    ...(compiles[0]?.[0] ? { compiler: compiles[0][0] } : {}),
    compileFlags: shared, defines, linkFlags, commands: built.commands.length, dir: built.dir,
    ...(built.image ? { image: built.image } : {}),
  };
}
