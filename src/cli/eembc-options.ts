// The options `tinyml build --app eembc` and `tinyml test --protocol eembc`
// share: which MLPerf Tiny benchmark the firmware is for (the runner picks
// its test script by the id) and the name it answers; build alone chooses
// the timestamp mode.

import type { Argv } from "yargs";

const IDS = ["kws01", "vww01", "ic01", "ad01", "sww01"] as const;

export function withEembcOptions<T>(y: Argv<T>) {
  return y
    .option("eembc-model", { type: "string", describe: `EEMBC: the MLPerf Tiny benchmark id (${IDS.slice(0, 4).join(", ")}; default: known by the reference model's SHA-256)` })
    .option("eembc-name", { type: "string", describe: "EEMBC: the device name `name` answers (default: the board id)" });
}

/** Only a build chooses the mode: `tinyml test` reads the m-lap-us lines an energy build does not print. */
export function withEembcModeOption<T>(y: Argv<T>) {
  return y.option("eembc-mode", { choices: ["performance", "energy"] as const, describe: "EEMBC: performance (m-lap-us timestamps, the board's baud) or energy (timestamps on the board's timestamp pin, 9600 baud: for the runner's power board)" });
}

export interface EembcArgs {
  eembcModel?: string;
  eembcName?: string;
  eembcMode?: string;
}

/** Any EEMBC option given, for commands that must refuse them without the eembc app. */
export function givenEembcOption(a: EembcArgs): string | undefined {
  const names: [keyof EembcArgs, string][] = [["eembcModel", "--eembc-model"], ["eembcName", "--eembc-name"], ["eembcMode", "--eembc-mode"]];
  return names.find(([k]) => a[k] !== undefined)?.[1];
}
