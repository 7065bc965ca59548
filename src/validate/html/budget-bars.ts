// Flash and RAM against the board's budget as two bars (the picture of
// `tinyml build`'s "RAM: [===   ] 31.2%" lines). Plain SVG attributes, no
// inline style, so the page's Content-Security-Policy stays strict. Shared
// by the test report and `tinyml analyze`'s page.

import { escapeText } from "./escape.js";
import { formatNumber, formatPercent } from "./format.js";

export interface BudgetRegion {
  used: number;
  budget: number;
}

export interface BudgetFigures {
  flash: BudgetRegion;
  ram: BudgetRegion;
  /** What the figures are: "image" (the linked firmware) or "plan" (weights and arena, before compiling). */
  source: "image" | "plan";
}

const W = 720;
const ROW = 30;
const LABEL_W = 60;
const VALUE_W = 260;

function kb(n: number): string {
  return `${formatNumber(n / 1024, 1)} KB`;
}

export function budgetBars(b: BudgetFigures, title: string): string {
  const area = W - LABEL_W - VALUE_W;
  const rows = (["flash", "ram"] as const).map((k, i) => {
    const r = b[k];
    const share = r.budget > 0 ? r.used / r.budget : 0;
    const y = 6 + i * ROW;
    const over = share > 1;
    const label = k === "flash" ? "Flash" : "RAM";
    const value = `${formatPercent(share)} (${kb(r.used)} of ${kb(r.budget)})${over ? " OVER" : ""}`;
    return (
      `<g class="budget ${over ? "over" : "within"}" data-region="${k}" data-used="${r.used}" data-budget="${r.budget}">` +
      `<title>${escapeText(`${label}: ${formatNumber(r.used)} of ${formatNumber(r.budget)} bytes`)}</title>` +
      `<text x="${LABEL_W - 8}" y="${y + ROW / 2 + 3}" text-anchor="end">${label}</text>` +
      `<rect class="track" x="${LABEL_W}" y="${y + 4}" width="${area}" height="${ROW - 12}"/>` +
      `<rect class="${over ? "bar over" : "bar"}" x="${LABEL_W}" y="${y + 4}" width="${(Math.min(1, share) * area).toFixed(1)}" height="${ROW - 12}"/>` +
      `<text x="${LABEL_W + area + 8}" y="${y + ROW / 2 + 3}">${escapeText(value)}</text></g>`
    );
  });
  const note = b.source === "plan" ? "planned before compiling: model weights and arena, code not included" : "measured from the linked image";
  return [
    `<figure>`,
    `<svg class="chart budget" viewBox="0 0 ${W} ${12 + 2 * ROW}" role="img" aria-label="${escapeText(title)}">`,
    ...rows,
    `</svg>`,
    `<figcaption>${escapeText(`${title}: ${note}.`)}</figcaption>`,
    `</figure>`,
  ].join("\n");
}
