// Runs a command for the agent (nvidia-smi) with a deadline and an output cap, and says plainly how it
// ended: output, not installed, timed out, failed. The runner is injectable so tests can fake it.
import { spawn } from 'node:child_process';

export type RunResult =
  | { readonly kind: 'ok'; readonly stdout: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'too-large'; readonly limit: number }
  | {
      readonly kind: 'failed';
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly output: string;
    };

export interface RunOptions {
  readonly timeoutMs: number;
  /** Bytes of stdout read at most; more ends the run as `too-large`. */
  readonly maxBytes: number;
}

export type CommandRunner = (
  command: string,
  args: readonly string[],
  options: RunOptions,
) => Promise<RunResult>;

/** The real runner: no shell, stdin closed, killed (SIGKILL, whole process group) at the deadline. */
export const spawnRunner: CommandRunner = (command, args, options) =>
  new Promise<RunResult>((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    let bytes = 0;
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const finish = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ kind: 'timeout', afterMs: options.timeoutMs }),
      options.timeoutMs,
    );
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes > options.maxBytes) finish({ kind: 'too-large', limit: options.maxBytes });
      else chunks.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (errChunks.reduce((n, b) => n + b.length, 0) < 4096) errChunks.push(c);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') finish({ kind: 'missing' });
      else finish({ kind: 'failed', exitCode: null, signal: null, output: e.message });
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(chunks).toString('utf8');
      if (code === 0) finish({ kind: 'ok', stdout });
      else {
        const output = `${Buffer.concat(errChunks).toString('utf8')}\n${stdout}`.trim();
        finish({ kind: 'failed', exitCode: code, signal, output });
      }
    });
  });
