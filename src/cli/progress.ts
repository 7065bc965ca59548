// A progress bar on stderr: redrawn in place on a terminal, reduced to one
// line at the end otherwise (so CI logs are not flooded).

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const width = 30;
  const start = Date.now();
  let last = 0;
  let lastTotal = 0;
  return {
    update(done, total) {
      last = done;
      lastTotal = total;
      if (!tty) return;
      const filled = Math.round((done / Math.max(1, total)) * width);
      stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      stream.write(`${tty ? "\r\x1b[K" : ""}${label}: ${last}/${lastTotal} samples in ${secs} s\n`);
    },
  };
}
