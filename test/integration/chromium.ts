// Integration tests' browser: Debian's chromium (found on PATH) driven by playwright-core, headless,
// with a fresh user-data dir removed on close. `npx playwright install` cannot download here, so
// the executable is never Playwright's own; a missing chromium is a PrerequisiteError naming the fix.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { PrerequisiteError } from '../../harness/errors.ts';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new PrerequisiteError('chromium', 'apt-get install -y chromium', 'the report test drives Debian\'s chromium');
  }
}

export interface Browser extends AsyncDisposable {
  context: BrowserContext;
}

/** A headless chromium with its own throw-away profile; `await using` closes it and removes the profile. */
export async function launchChromium(viewport = { width: 1366, height: 900 }): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'converge-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, viewport });
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
