// Signal handlers cannot run on SIGKILL, which is what a CI runner sends when
// its job's grace after SIGTERM runs out, or `kill -9` from a user. A QEMU
// started by a tinyml that is killed that way would run on under PID 1 for
// ever (with -nographic it ignores its stdin closing). On Linux the kernel
// can signal a child when its parent dies (prctl PR_SET_PDEATHSIG), and
// util-linux's `setpriv --pdeathsig` sets that and execs the program in
// place: same pid, same process group, so everything else sees QEMU.

import { whichTool } from "../toolchain/probe.js";

/** The command line that runs `bin args` and ends it with SIGTERM when tinyml dies, where the OS allows it. */
export function diesWithParent(bin: string, args: readonly string[]): { bin: string; args: string[] } {
  const setpriv = process.platform === "linux" ? whichTool("setpriv") : null;
  return setpriv ? { bin: setpriv, args: ["--pdeathsig", "TERM", "--", bin, ...args] } : { bin, args: [...args] };
}
