// Addresses in an ELF as function, file and line (binutils' addr2line), for
// the fault reports a bare-metal HAL prints ("pc=0800123c").

import { execa } from "execa";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";
import { whichTool } from "./probe.js";

export interface CodeLocation {
  address: number;
  /** "?" when the address is in no function of the image. */
  function: string;
  /** "file.c:42", or "??:0" without debug information. */
  where: string;
}

/** Symbolizes `addresses` in `elf`; undefined when addr2line is not installed. */
export async function symbolize(elf: string, addresses: readonly number[], prefix = "arm-none-eabi-"): Promise<CodeLocation[] | undefined> {
  const tool = `${prefix}addr2line`;
  if (!whichTool(tool) || addresses.length === 0) return undefined;
  // Thumb addresses carry bit 0 set in LR: the instruction is at the even address.
  const hex = addresses.map((a) => `0x${(a & ~1 >>> 0).toString(16)}`);
  const r = await trackChild(execa(tool, ["-f", "-C", "-e", elf, ...hex], { reject: false, stdin: "ignore", ...CHILD_GROUP }));
  if (r.exitCode !== 0) return undefined;
  const lines = String(r.stdout).split("\n");
  return addresses.map((address, i) => ({
    address,
    function: lines[2 * i]?.trim() || "?",
    where: (lines[2 * i + 1]?.trim() || "??:0").replace(/ \(discriminator \d+\)$/, ""),
  }));
}
