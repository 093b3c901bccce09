import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { formatDiagnostic, parseGraphDefinition } from '@wgs/graph-model';
import { pushArtifact } from '@wgs/registry';
import { isComponent } from '@wgs/runtime';
import { flags } from './args.ts';
import { defaultCache, openFromFlags, parseRegistryReference, REGISTRY_FLAGS, REGISTRY_FLAGS_USAGE, withHint } from './registry.ts';

const USAGE = `usage: wgs push <file> <registry>/<repository>:<tag> [--kind graph|module] [--tag <more tags>]... ${REGISTRY_FLAGS_USAGE}
  <registry> is host[:port] or "embedded"; pushes a graph definition (YAML) or a module (WebAssembly component)`;

function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/** graph for .yaml/.yml, module for .wasm or WebAssembly content. */
function inferKind(file: string, bytes: Uint8Array): 'graph' | 'module' {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'graph';
  if (ext === '.wasm' || isWasm(bytes)) return 'module';
  throw new Error(`cannot tell whether ${file} is a graph or a module: pass --kind graph|module`);
}

export async function pushCommand(args: string[]): Promise<number> {
  const { values, positionals } = flags(args, { ...REGISTRY_FLAGS, kind: { type: 'string' }, tag: { type: 'string', multiple: true } }, USAGE);
  if (positionals.length !== 2) throw new Error(USAGE);
  const [file, target] = positionals as [string, string];
  const { registry, ref } = parseRegistryReference(target);
  if (ref.digest || !ref.tag) throw new Error(`push needs a tag, not a digest: ${target}`);
  if (values.kind !== undefined && values.kind !== 'graph' && values.kind !== 'module') throw new Error(`--kind must be graph or module, got "${values.kind}"`);
  let content: Uint8Array;
  try {
    content = await readFile(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const kind = (values.kind as 'graph' | 'module' | undefined) ?? inferKind(file, content);
  if (kind === 'graph') {
    const errors = parseGraphDefinition(new TextDecoder().decode(content)).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      for (const d of errors) console.error(formatDiagnostic(d, file));
      throw new Error(`${file} is not a valid graph definition (${errors.length} error${errors.length === 1 ? '' : 's'}); not pushed`);
    }
  } else if (!isWasm(content)) {
    throw new Error(`${file} is not WebAssembly; not pushed as a module`);
  } else if (!isComponent(content)) {
    console.error(`warning: ${file} is a core WebAssembly module, not a component; the runtime will not load it`);
  }
  const tags = [ref.tag, ...(values.tag ?? [])];
  const store = await openFromFlags(registry, values);
  try {
    const r = await pushArtifact(store, ref.repository, tags, { kind, content, fileName: basename(file) }, { cache: defaultCache(registry) });
    const uploads = r.blobs.map((b) => b.via).join(', ');
    console.log(`pushed ${kind} ${file} to ${registry}/${ref.repository}:${tags.join(',')} (blobs: ${uploads})`);
    console.log(`digest: ${r.digest}`);
    return 0;
  } catch (e) {
    throw withHint(e);
  }
}
