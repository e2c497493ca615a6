// JVM artifacts of the local services, resolved by Maven from the small poms under ./jvm/ with
// `dependency:copy-dependencies` into a git-ignored cache folder, and reused while the pom is
// unchanged (a marker file holds the pom's hash). A failed resolution leaves no half-filled folder.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceStartError } from '../../errors.ts';

export const jvmBundles = ['kafka', 'debezium-mariadb', 'debezium-mysql', 'opensearch'] as const;
export type JvmBundle = (typeof jvmBundles)[number];

const POM_DIR = fileURLToPath(new URL('./jvm/', import.meta.url));
const MARKER = '.converge-resolved';

export function pomPath(bundle: JvmBundle): string {
  return path.join(POM_DIR, bundle, 'pom.xml');
}

function pomHash(bundle: JvmBundle): string {
  return createHash('sha256').update(readFileSync(pomPath(bundle))).digest('hex');
}

/** The cache folder of a bundle if it is complete for the current pom, else undefined. */
export function cachedBundle(cacheDir: string, bundle: JvmBundle): string | undefined {
  const dir = path.join(cacheDir, bundle);
  const marker = path.join(dir, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === pomHash(bundle)) return dir;
  return undefined;
}

export interface ResolveResult {
  dir: string;
  /** True when Maven ran; false when the cache was reused. */
  resolved: boolean;
  ms: number;
}

/** Make sure `cacheDir/<bundle>` holds the bundle's jars; runs Maven when it does not. */
export async function ensureBundle(mvn: string, cacheDir: string, bundle: JvmBundle, log: (line: string) => void): Promise<ResolveResult> {
  const started = Date.now();
  const ready = cachedBundle(cacheDir, bundle);
  if (ready) return { dir: ready, resolved: false, ms: Date.now() - started };
  mkdirSync(cacheDir, { recursive: true });
  const target = path.join(cacheDir, bundle);
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  log(`resolving JVM artifacts for ${bundle} with Maven (first run only)`);
  const args = ['-B', '-q', '-f', pomPath(bundle), 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'];
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(mvn, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, text }));
  });
  if (output.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const tail = output.text.trimEnd().split('\n').slice(-15).join('\n');
    throw new ServiceStartError(bundle, `Maven could not resolve ${pomPath(bundle)} (exit ${output.code}):\n${tail}`);
  }
  writeFileSync(path.join(staging, MARKER), `${pomHash(bundle)}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return { dir: target, resolved: true, ms: Date.now() - started };
}
