// Flash and RAM against the board's budget, printed the way PlatformIO does
// ("RAM:   [===       ]  31.2% (80.0 KB of 256.0 KB)"), and the error for an
// image that does not fit: by how much, and what is biggest.

import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import type { Contributor, RegionUsage } from "../toolchain/size.js";
import { formatBytes } from "../util/table.js";

export interface Budget {
  flash: Pick<RegionUsage, "used" | "budget">;
  ram: Pick<RegionUsage, "used" | "budget">;
  /** Where the figures come from: the linked image, or the plan before compiling. */
  source: "image" | "plan";
  contributors: Array<Pick<Contributor, "symbol" | "bytes">>;
}

function bar(used: number, budget: number, width = 10): string {
  const filled = Math.min(width, Math.round((used / budget) * width));
  return `[${"=".repeat(filled)}${" ".repeat(width - filled)}]`;
}

export function renderBudget(b: Budget): string {
  const line = (name: string, r: Budget["flash"]): string =>
    `${`${name}:`.padEnd(7)}${bar(r.used, r.budget)} ${((100 * r.used) / r.budget).toFixed(1).padStart(5)}% ` +
    `(${formatBytes(r.used)} of ${formatBytes(r.budget)})`;
  return [line("Flash", b.flash), line("RAM", b.ram)].join("\n");
}

/** Fails when either region is over budget, naming the overshoot and the biggest contributors. */
export function checkBudget(board: Board, b: Budget): void {
  const over = (["flash", "ram"] as const).filter((r) => b[r].used > b[r].budget);
  if (over.length === 0) return;
  const what = over
    .map((r) => `${r === "flash" ? "flash" : "RAM"} by ${formatBytes(b[r].used - b[r].budget)} (${formatBytes(b[r].used)} of ${formatBytes(b[r].budget)})`)
    .join(" and ");
  const biggest = b.contributors.slice(0, 5).map((c) => `${c.symbol} ${formatBytes(c.bytes)}`).join(", ");
  throw new TinymlError("TML_E_BUDGET_EXCEEDED", `the firmware overflows ${board.name}'s ${what}`, {
    location: { file: board.file, detail: b.source === "plan" ? "planned before compiling" : "measured from the image" },
    hint: `Biggest contributors: ${biggest || "n/a"}. Use a smaller model, --runtime aot (no interpreter), or a board with more memory.`,
  });
}

/**
 * The budget before (or without) linking: the model's weights in flash and
 * its arena in RAM, plus whatever a second generated model adds.
 */
export function plannedBudget(board: Board, weightBytes: number, arenaBytes: number, extra?: { what: string; weightBytes: number; arenaBytes: number }): Budget {
  const contributors = [{ symbol: "model weights", bytes: weightBytes }, { symbol: "tensor arena", bytes: arenaBytes }];
  if (extra) contributors.push({ symbol: `${extra.what} weights`, bytes: extra.weightBytes }, { symbol: `${extra.what} arena`, bytes: extra.arenaBytes });
  return {
    source: "plan",
    flash: { used: weightBytes + (extra?.weightBytes ?? 0), budget: board.memory.flashBytes },
    ram: { used: arenaBytes + (extra?.arenaBytes ?? 0), budget: board.memory.ramBytes },
    contributors: contributors.sort((a, b) => b.bytes - a.bytes),
  };
}
