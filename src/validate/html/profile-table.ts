// The per-op profile as a table beside its chart: each op's MACs, time and,
// under QEMU, instructions and instructions per MAC — the figure that tells
// a kernel that is slow for its work from one that simply has much to do.

import type { BoardRun } from "../report.js";
import { escapeText } from "./escape.js";
import { formatNumber, formatPercent, formatUs } from "./format.js";

const num = (v: number, text: string): string => `<td class="num" data-sort="${v}">${escapeText(text)}</td>`;
const DASH = `<td class="num">—</td>`;

export function profileTable(run: BoardRun): string {
  const ops = run.profile ?? [];
  if (ops.length === 0) return "";
  const withInstr = ops.some((o) => o.instructions !== undefined);
  const withMacs = ops.some((o) => o.macs !== undefined);
  const heads = ["#", "Op", ...(withMacs ? ["MACs"] : []), "Time", ...(withInstr ? ["Instructions"] : []), ...(withInstr && withMacs ? ["Instr. / MAC"] : []), "Share"];
  const rows = ops.map((o) => {
    const perMac = o.instructions !== undefined && o.macs !== undefined && o.macs > 0 ? o.instructions / o.macs : undefined;
    return `<tr data-op="${o.index}">${num(o.index, String(o.index))}<td>${escapeText(o.type)}</td>` +
      (withMacs ? (o.macs !== undefined ? num(o.macs, formatNumber(o.macs)) : DASH) : "") +
      num(o.us, formatUs(o.us)) +
      (withInstr ? (o.instructions !== undefined ? num(o.instructions, formatNumber(o.instructions)) : DASH) : "") +
      (withInstr && withMacs ? (perMac !== undefined ? num(perMac, formatNumber(perMac, 2)) : DASH) : "") +
      num(o.share, formatPercent(o.share)) + `</tr>`;
  });
  const macs = ops.reduce((n, o) => n + (o.macs ?? 0), 0);
  const instr = ops.reduce((n, o) => n + (o.instructions ?? 0), 0);
  const caption = withInstr && macs > 0
    ? `Per op: ${formatNumber(instr)} instructions for ${formatNumber(macs)} MACs in all, ${formatNumber(instr / macs, 2)} instructions per MAC (QEMU counts instructions, not cycles).`
    : "Per op, in execution order.";
  return [
    `<div class="table-wrap"><table class="sortable profile-ops">`,
    `<caption class="muted">${escapeText(caption)}</caption>`,
    `<thead><tr>${heads.map((h) => `<th scope="col">${escapeText(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`, ...rows, `</tbody></table></div>`,
  ].join("\n");
}
