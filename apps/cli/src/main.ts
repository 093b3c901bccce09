#!/usr/bin/env node
/** `pnpm wgs <command>`: validate, run and test data flow graphs. */
const USAGE = `usage: wgs <command> [options]

commands:
  validate <file>...        check graph definitions or DataflowGraph/endpoint manifests (a DataflowGraph
                            is also flattened when its Graph nodes' definitions can be pulled)
  run --graph <file|registry/repo:tag> --broker <url> --source <filter> [--source ...] --sink <topic>
      [--config key=value ...] [--state <seed.json>] [--deadline-ms N] [--lateness-ms N]
                            run a graph on an MQTT broker until SIGINT/SIGTERM
  run --graph <DataflowGraph manifest> [--broker <url>]
                            run a data flow flattened: Source nodes' topics in, each Destination's topic out
  test <folder|file.test.yaml>...
                            run *.test.yaml tests (graph: a graph definition or a DataflowGraph manifest);
                            prints "N passed, N failed"
  demo [--seconds N]        local Mosquitto + sensor simulator + the example complex graph
  engine --kubeconfig <file|in-cluster> [--namespace ns] [--profile name]
                            run the cluster's DataflowGraphs of a profile, writing their status
  registry ls <registry>[/<repo>]
                            list repositories, or a repository's tags with artifact kind and digest
  pull <registry>/<repo>:<tag> [-o file]
                            pull a graph or module artifact (cached by digest)
  push <file> <registry>/<repo>:<tag> [--kind graph|module]
                            push a graph definition or module as the reference's oras commands do
  (<registry> is host[:port] or "embedded"; loopback registries use plain HTTP, others HTTPS unless
   --plain-http; credentials: -u/-p, WGS_REGISTRY_USERNAME/PASSWORD or ~/.docker/config.json)

modules of a graph file resolve through the embedded registry (WGS_REGISTRY_DIR overrides it);
modules of a graph pulled from a registry resolve against that registry only`;

type Command = (args: string[]) => Promise<number>;

// Each command's modules load only when it runs: `wgs run` no longer loads the
// Kubernetes client of `engine` (~140 MiB RSS under tsx) or the registry commands.
const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.ts')).validateCommand,
  run: async () => (await import('./commands/run.ts')).runCommand,
  test: async () => (await import('./commands/test.ts')).testCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  engine: async () => (await import('./commands/engine.ts')).engineCommand,
  registry: async () => (await import('./commands/registry.ts')).registryCommand,
  pull: async () => (await import('./commands/pull.ts')).pullCommand,
  push: async () => (await import('./commands/push.ts')).pushCommand,
};

// Output piped into a command that stops reading (e.g. `| head`) ends the command quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const [name, ...rest] = process.argv.slice(2);
const load = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!load) {
  console.error(name && name !== '--help' && name !== 'help' ? `unknown command "${name}"\n\n${USAGE}` : USAGE);
  process.exitCode = name === '--help' || name === 'help' ? 0 : 2;
} else {
  try {
    const command = await load();
    process.exitCode = await command(rest);
  } catch (e) {
    console.error(`wgs ${name}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
