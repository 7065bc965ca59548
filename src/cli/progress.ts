// Progress on stderr for long work (compiles, calibration, epochs, device
// cases), never on stdout, so --json output stays one document. On a
// terminal one line is rewritten in place (at most ten times a second) with
// a bar, the count, the current item and an ETA; in a log (not a TTY) the
// same figures come as plain lines at every tenth of the way, and a summary
// line at the end, so a CI log shows progress without thousands of lines.

export interface Progress {
  /** `done` of `total` finished; `item` names what just finished (a source file, a case). */
  update(done: number, total: number, item?: string): void;
  /** The summary line (count and time), replacing the live line. */
  done(summary?: string): void;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Time left at the rate so far; undefined until there is a rate to go by. */
export function eta(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || done >= total || elapsedMs < 500) return undefined;
  return (elapsedMs / done) * (total - done);
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const tty = Boolean(stream.isTTY);
  const width = 24;
  const start = now();
  let lastDraw = 0;
  let lastTenth = -1;
  let last = { done: 0, total: 0 };
  let drawn = false;
  return {
    update(done, total, item) {
      last = { done, total };
      const elapsed = now() - start;
      const left = eta(done, total, elapsed);
      const tail = `${item ? ` ${item}` : ""}${left !== undefined ? `  ETA ${seconds(left)}` : ""}`;
      if (tty) {
        if (now() - lastDraw < 100 && done < total) return;
        lastDraw = now();
        const filled = Math.round((done / Math.max(1, total)) * width);
        const line = `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] [${done}/${total}]${tail}`;
        stream.write(`\r\x1b[K${line.slice(0, Math.max(20, (stream.columns || 100) - 1))}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((10 * done) / Math.max(1, total));
      if (tenth === lastTenth || done >= total) return;
      lastTenth = tenth;
      stream.write(`${label}: [${done}/${total}]${tail}\n`);
    },
    done(summary) {
      const text = `${label}: ${summary ?? `${last.done}/${last.total}`} in ${seconds(now() - start)}`;
      stream.write(`${tty && drawn ? "\r\x1b[K" : ""}${text}\n`);
    },
  };
}
