#!/usr/bin/env node
/** `pnpm wgs <command>`: validate, run and test data flow graphs. */
import { demoCommand } from './commands/demo.ts';
import { runCommand } from './commands/run.ts';
import { testCommand } from './commands/test.ts';
import { validateCommand } from './commands/validate.ts';

const USAGE = `usage: wgs <command> [options]

commands:
  validate <file>...        check graph definitions or DataflowGraph/endpoint manifests
  run --graph <file> --broker <url> --source <filter> [--source ...] --sink <topic>
      [--config key=value ...] [--state <seed.json>] [--deadline-ms N] [--lateness-ms N]
                            run a graph on an MQTT broker until SIGINT/SIGTERM
  test <folder|file.test.yaml>...
                            run *.test.yaml graph tests; prints "N passed, N failed"
  demo [--seconds N]        local Mosquitto + sensor simulator + the example complex graph

modules resolve through the embedded registry (WGS_REGISTRY_DIR overrides it)`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  validate: validateCommand,
  run: runCommand,
  test: testCommand,
  demo: demoCommand,
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(name && name !== '--help' && name !== 'help' ? `unknown command "${name}"\n\n${USAGE}` : USAGE);
  process.exitCode = name === '--help' || name === 'help' ? 0 : 2;
} else {
  try {
    process.exitCode = await command(rest);
  } catch (e) {
    console.error(`wgs ${name}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
