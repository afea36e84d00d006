import cliProgress from 'cli-progress';

/** Advances a progress display by one finished item. */
export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long work (cli-progress), shown only on a terminal and never with
 * --json, so piped output and scripts see nothing but the result.
 */
export function startProgress(total: number, title: string, json: boolean): Progress {
  if (json || !process.stderr.isTTY || total === 0) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${title} [{bar}] {value}/{total} {label}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick: (label = '') => bar.increment(1, { label }),
    stop: () => bar.stop(),
  };
}
