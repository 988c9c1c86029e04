// Vitest global setup: one throwaway PostgreSQL server for the whole test run (or the server named
// by KUBERACK_TEST_DATABASE_URL), handed to tests as inject('postgresUrl'); null when there is none.
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    /** Admin URL of the test PostgreSQL server, or null when none could be found (outside CI). */
    postgresUrl: string | null;
  }
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The directory holding initdb, pg_ctl and postgres: first on PATH, else Debian's newest version. */
export function findPostgresBin(): string | null {
  const hasAll = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => isExecutable(join(dir, b)));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && hasAll(dir)) return dir;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (hasAll(join(root, v, 'bin'))) return join(root, v, 'bin');
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server in a fresh temp directory; returns its admin URL and how to stop it. */
async function startServer(bin: string): Promise<{ url: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root: run the server tools as Debian's `postgres` user instead.
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
    execFileSync(cmd, argv, { cwd: dir, stdio: 'pipe' });
  };
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (asRoot) {
      const id = (flag: string) => {
        try {
          return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
        } catch {
          throw new Error('running as root needs the `postgres` user (Debian package postgresql) for initdb');
        }
      };
      chownSync(dir, id('-u'), id('-g'));
    }
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir.replace(/'/g, "''")}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    try {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    } catch (error) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']); // in case it came up late
      } catch {
        // not running: nothing to stop
      }
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      throw new Error(`PostgreSQL did not start: ${String(error)}\n${log.slice(-2000)}`);
    }
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.KUBERACK_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const bin = findPostgresBin();
  if (bin === null) {
    const missing =
      'PostgreSQL binaries (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/*/bin';
    if (process.env.CI === 'true') throw new Error(`${missing}; CI needs them (see .ci/run)`);
    console.warn(`warning: ${missing}; PostgreSQL test variants are skipped`);
    project.provide('postgresUrl', null);
    return undefined;
  }
  const server = await startServer(bin);
  project.provide('postgresUrl', server.url);
  return server.stop;
}
