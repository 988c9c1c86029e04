// Real Chromium for the console's end-to-end tests: playwright-core driving the system's chromium
// (KUBERACK_CHROMIUM overrides the path), a build of web/dist when it is missing or stale, and a
// `kuberack serve` whose emulated cloud runs at a chosen speed (to watch a creation in progress).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Credentials } from '../../src/api/client.js';
import { startTestServer, type TestServer } from './test-server.js';

export const CHROMIUM = process.env.KUBERACK_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '..', '..');

/** Whether the browser tests can run here; under CI=true a missing browser is a failure, not a skip. */
export function browserAvailable(): boolean {
  const found = existsSync(CHROMIUM);
  if (!found && process.env.CI === 'true')
    throw new Error(`chromium is required under CI=true: ${CHROMIUM} is missing`);
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the console (`npm run build -w web`) unless web/dist is newer than its sources. */
export function ensureConsoleBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'web', 'src')), newest(join(ROOT, 'src', 'domain')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // The test runner sets NODE_ENV=test, which would make Vite bundle React and antd in development mode.
  execFileSync('npm', ['run', 'build', '-w', 'web'], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * The console's server: at instant speed, or with `timeScale` (e.g. 30: a creation takes about
 * twenty seconds) so that a screenshot can catch the progress timeline mid-way.
 */
export function startConsoleServer(
  admin: Credentials,
  o: { adminPassword: string; keyPair: string; timeScale?: number },
): Promise<TestServer> {
  return startTestServer(admin, o);
}

/** Picks an option of an antd Select by typing into its search box, and checks the choice took. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByLabel(label, { exact: true });
  const select = page.locator('.ant-select').filter({ has: box });
  // Under load the options can re-render while they are clicked: retry until the choice shows.
  for (let attempt = 0; attempt < 3; attempt++) {
    await box.click();
    if (await box.isEditable()) await box.fill(option);
    await page.locator('.ant-select-item-option').filter({ hasText: option }).first().click();
    await page.keyboard.press('Escape');
    if ((await select.first().textContent())?.includes(option)) return;
  }
  throw new Error(`could not choose ${option} in ${label}`);
}
