// The tools the local provider needs on the machine, checked before anything starts: Java >= 17,
// Maven (to resolve the JVM artifacts), and the MariaDB server binaries. A missing one is a
// PrerequisiteError naming it and the line that installs it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { PrerequisiteError } from '../../errors.ts';

export interface Toolchain {
  java: string;
  javaMajor: number;
  mvn: string;
  mariadbd: string;
  mariadbInstallDb: string;
}

/** Folders searched for sbin tools even when PATH lacks them (Debian puts mariadbd in /usr/sbin). */
const SBIN_FALLBACKS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Find an executable on a PATH string (and optional extra folders), like `command -v`. */
export function findExecutable(name: string, pathValue: string, extraDirs: string[] = []): string | undefined {
  for (const dir of [...pathValue.split(path.delimiter).filter(Boolean), ...extraDirs]) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Parse the major version out of `java -version` output ("17.0.15", "1.8.0_412", "25"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export function checkPrerequisites(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const pathValue = env.PATH ?? '';
  const javaHome = env.JAVA_HOME;
  const java = (javaHome && findExecutable('java', path.join(javaHome, 'bin'))) || findExecutable('java', pathValue);
  if (!java) throw new PrerequisiteError('java (JDK 17 or newer)', 'apt-get install openjdk-17-jdk-headless');
  const javaMajor = parseJavaMajor(javaVersionText(java, env));
  if (javaMajor === undefined || javaMajor < 17) {
    throw new PrerequisiteError('java 17 or newer', 'apt-get install openjdk-17-jdk-headless', `${java} reports ${javaMajor ?? 'an unknown version'}`);
  }
  const mvn = findExecutable('mvn', pathValue);
  if (!mvn) throw new PrerequisiteError('mvn (Apache Maven)', 'apt-get install maven');
  const mariadbd = findExecutable('mariadbd', pathValue, SBIN_FALLBACKS);
  if (!mariadbd) throw new PrerequisiteError('mariadbd (MariaDB server)', 'apt-get install mariadb-server');
  const mariadbInstallDb = findExecutable('mariadb-install-db', pathValue, SBIN_FALLBACKS);
  if (!mariadbInstallDb) throw new PrerequisiteError('mariadb-install-db (MariaDB server)', 'apt-get install mariadb-server');
  return { java, javaMajor, mvn, mariadbd, mariadbInstallDb };
}

/** `java -version` prints to stderr; take both streams. */
function javaVersionText(java: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(java, ['-version'], { env, encoding: 'utf8' });
  return `${result.stderr ?? ''}${result.stdout ?? ''}`;
}
