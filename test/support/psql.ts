import { spawn } from 'node:child_process';

/** An interactive psql session fed line by line, as a person at the prompt would. */
export type PsqlSession = {
  send: (line: string) => void;
  /** Resolves once psql has printed `text` on stdout or stderr. */
  waitFor: (text: string) => Promise<void>;
  /** Closes stdin and resolves with psql's exit code and output. */
  end: () => Promise<{ code: number | null; stdout: string; stderr: string }>;
};

/** Starts `psql <url>` with its input on a pipe; `\set VERBOSITY verbose` shows SQLSTATE codes. */
export function openPsql(url: string): PsqlSession {
  const child = spawn('psql', ['-X', '-q', '-v', 'VERBOSITY=verbose', url], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (stdout.includes(w.text) || stderr.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    check();
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    check();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    send: (line) => child.stdin.write(`${line}\n`),
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve });
        check();
        exited.then(() => {
          if (!stdout.includes(text) && !stderr.includes(text)) {
            reject(new Error(`psql exited before printing ${text}: ${stdout}${stderr}`));
          }
        });
      }),
    end: async () => {
      child.stdin.end();
      return { code: await exited, stdout, stderr };
    },
  };
}
