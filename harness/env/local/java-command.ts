// How converge launches a JVM service: heap bounds, headless, log4j2 writing to stdout (which the
// process runner sends to the service's log file), and a classpath of one cached bundle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface JavaLaunch {
  heapMb: number;
  classpathDir: string;
  /** A main class, or a `.java` source file run in source-file mode. */
  main: string;
  args: string[];
  /** Folder where the log4j2 config is written. */
  configDir: string;
  extraJvmArgs?: string[];
  /** Point log4j2 at our stdout config (default true); OpenSearch configures its own logging. */
  ownLogging?: boolean;
}

const LOG4J2_CONFIG = `# converge: log4j2 for a local JVM service; stdout goes to the service's log file.
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
`;

export function javaArgs(launch: JavaLaunch): string[] {
  const logging: string[] = [];
  if (launch.ownLogging !== false) {
    const log4j = path.join(launch.configDir, 'log4j2.properties');
    writeFileSync(log4j, LOG4J2_CONFIG);
    logging.push(`-Dlog4j2.configurationFile=${log4j}`);
  }
  return [
    `-Xms${Math.min(256, launch.heapMb)}m`,
    `-Xmx${launch.heapMb}m`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    ...logging,
    ...(launch.extraJvmArgs ?? []),
    '-cp',
    `${launch.classpathDir}/*`,
    launch.main,
    ...launch.args,
  ];
}
