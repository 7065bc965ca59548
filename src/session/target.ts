// The boards a run talks to: one board (with an optional --port), or every
// connected entry of a twister-style hardware map, each with its own port.

import type { Board } from "../boards/board.js";
import { loadBoard } from "../boards/load.js";
import { TinymlError } from "../errors.js";
import { entryPort, readHardwareMap } from "./hardware-map.js";

export interface SessionTarget {
  /** The rig entry id, or the board id. */
  id: string;
  board: Board;
  port?: string;
}

export interface TargetChoice {
  board: string;
  port?: string;
  hardwareMap?: string;
  boardsDir?: string;
  /** Told about each entry skipped as `connected: false`. */
  onSkip?: (id: string) => void;
}

export function resolveTargets(c: TargetChoice): SessionTarget[] {
  if (!c.hardwareMap) return [{ id: c.board, board: loadBoard(c.board, c.boardsDir), ...(c.port ? { port: c.port } : {}) }];
  const entries = readHardwareMap(c.hardwareMap).filter((e) => {
    if (!e.connected) c.onSkip?.(e.id);
    return e.connected;
  });
  if (entries.length === 0) throw new TinymlError("TML_E_PORT_NOT_FOUND", `no connected boards in ${c.hardwareMap}`, { location: { file: c.hardwareMap } });
  return entries.map((e) => {
    const port = entryPort(e);
    return { id: e.id, board: loadBoard(e.platform, c.boardsDir), ...(port ? { port } : {}) };
  });
}
