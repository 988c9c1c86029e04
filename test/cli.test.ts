// The kuberack command end to end: the built binary validates and plans the example spec, and
// exit codes are what scripts rely on (0 ok, 1 invalid spec, 2 usage).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';

const ROOT = resolve(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'gpu-cluster.yaml');

function capture(args: string[], files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT: ${p}`);
      return text;
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Spawning Node is slow on a loaded two-core machine; these are generous bounds, not timing checks.
describe('kuberack CLI', { timeout: 60_000 }, () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);

  it('M66 the built binary prints the dry-run plan of the example GPU cluster', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/bin.js'), 'plan', '-f', EXAMPLE], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ecs-instance/worker-3');
    expect(r.stdout).toContain('slb-listener/api-server-6443');
    expect(r.stdout).toMatch(/Critical path ~\d+ min/);
    expect(r.stdout).toContain('vpc.route-entries-per-table');
  });

  it('M15 an invalid spec exits 1 and lists every problem in Chinese', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuberack-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: "坏 名字!"\nregionId: cn-hangzhou\nnetwork: {}\nworkers: {instances: {count: 0}, login: {}}\n',
    );
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli/bin.js'), 'validate', '-f', file, '--lang', 'zh-CN'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('集群名称只能包含数字、汉字、英文字符或连字符');
    expect(r.stderr).toContain('network.vswitches');
    expect(r.stderr).toContain('workers.instances.count');
  });

  it('validate -o json reports problems as data', () => {
    const r = capture(['validate', '-f', 's.json', '-o', 'json'], { 's.json': '{"name": ""}' });
    expect(r.code).toBe(1);
    const body = JSON.parse(r.out) as { ok: boolean; problems: { path: string; code: string }[] };
    expect(body.ok).toBe(false);
    expect(body.problems).toContainEqual(expect.objectContaining({ path: 'name', code: 'SPEC_NAME_LENGTH' }));
  });

  it('usage errors exit 2: unknown option, missing file, unreadable file', () => {
    expect(capture(['plan', '--bogus', 'x']).code).toBe(2);
    expect(capture(['plan']).code).toBe(2);
    expect(capture(['plan', '-f', 'missing.yaml']).code).toBe(2);
    expect(capture(['frobnicate']).code).toBe(2);
    expect(capture(['help']).code).toBe(0);
  });
});

describe('kuberack serve start-up problems', () => {
  it('a port already in use is one clear line and exit code 2, not a stack trace', async () => {
    const { createServer } = await import('node:net');
    const { main } = await import('../src/cli/main.js');
    const busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', () => ok()));
    const port = (busy.address() as { port: number }).port;
    const err: string[] = [];
    const saved = { dir: process.env.KUBERACK_DATA_DIR, cp: process.env.KUBERACK_CONTROL_PLANE_LISTEN };
    process.env.KUBERACK_DATA_DIR = mkdtempSync(join(tmpdir(), 'kuberack-serve-'));
    process.env.KUBERACK_CONTROL_PLANE_LISTEN = 'off';
    try {
      const code = await main(['serve', '--port', String(port)], {
        out: () => undefined,
        err: (l) => err.push(l),
        readFile: () => '',
      });
      expect(code).toBe(2);
      expect(err.join('\n')).toBe(
        `kuberack serve: 127.0.0.1:${port} is already in use; choose another with --port or KUBERACK_LISTEN`,
      );
    } finally {
      busy.close();
      for (const [k, v] of [
        ['KUBERACK_DATA_DIR', saved.dir],
        ['KUBERACK_CONTROL_PLANE_LISTEN', saved.cp],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});
