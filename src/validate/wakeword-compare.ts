// Device frames against the host pipeline's, field by field: the same frame
// count, and per frame the same time, features, scores, smoothing result and
// keyword event. Differences are described in words (at most a few per clip),
// because one wrong feature usually means every later frame differs too.

import type { DeviceFrame } from "../device/wakeword-client.js";
import type { WakewordEvent } from "../wakeword/events.js";
import type { PipelineFrame } from "../wakeword/pipeline.js";

const MAX_REPORTED = 5;

export function compareFrames(host: readonly PipelineFrame[], device: readonly DeviceFrame[]): string[] {
  const out: string[] = [];
  if (host.length !== device.length) out.push(`the device computed ${device.length} frames, the host ${host.length}`);
  const n = Math.min(host.length, device.length);
  for (let i = 0; i < n && out.length < MAX_REPORTED; i++) {
    const diff = frameDifference(host[i]!, device[i]!);
    if (diff) out.push(`frame ${i} (${host[i]!.timeMs} ms): ${diff}`);
  }
  return out;
}

function frameDifference(h: PipelineFrame, d: DeviceFrame): string | undefined {
  if (d.index !== h.index || d.timeMs !== h.timeMs) return `device frame ${d.index} at ${d.timeMs} ms, host frame ${h.index} at ${h.timeMs} ms`;
  const f = firstDiff(h.features, d.features);
  if (f !== undefined) return `feature ${f}: device ${d.features[f]}, host ${h.features[f]}`;
  if ((h.scores === undefined) !== (d.scores === undefined)) return `scores on the ${h.scores ? "host" : "device"} only`;
  if (h.scores && d.scores) {
    const s = firstDiff(h.scores, d.scores);
    if (s !== undefined) return `score ${s}: device ${d.scores[s]}, host ${h.scores[s]}`;
  }
  const hs = h.smoothed;
  const ds = d.smoothed;
  if (hs && ds && (hs.index !== ds.index || hs.score !== ds.score || hs.isNewCommand !== ds.isNewCommand)) {
    return `smoothing: device category ${ds.index} score ${ds.score}${ds.isNewCommand ? " new" : ""}, host ${hs.index} score ${hs.score}${hs.isNewCommand ? " new" : ""}`;
  }
  if (d.event !== (h.event !== undefined)) return `a keyword event on the ${d.event ? "device" : "host"} only`;
  return undefined;
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number | undefined {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return undefined;
}

/** The device's keyword events, named with the model's labels. */
export function deviceEvents(frames: readonly DeviceFrame[], labels: readonly string[]): WakewordEvent[] {
  return frames.flatMap((f) =>
    f.event && f.smoothed ? [{ keyword: labels[f.smoothed.index] ?? `category ${f.smoothed.index}`, index: f.smoothed.index, score: f.smoothed.score, timeMs: f.timeMs }] : [],
  );
}
