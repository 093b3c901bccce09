/**
 * Where graph and module references point, given a RegistryEndpoint `host`
 * (reference §5.3). The host is either a bare registry host (`ghcr.io`,
 * `myacr.azurecr.io`, `127.0.0.1:5000`) or a host with a path prefix
 * (`ghcr.io/azure-samples/explore-iot-operations`, the older documented form).
 */

export interface EndpointHost {
  /** host[:port] */
  registry: string;
  /** Path prefix without slashes at either end; '' for the hostname-only form. */
  prefix: string;
}

export function splitEndpointHost(host: string): EndpointHost {
  const trimmed = host.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  const registry = slash < 0 ? trimmed : trimmed.slice(0, slash);
  if (!registry) throw new Error(`registry endpoint host "${host}" names no registry`);
  return { registry, prefix: slash < 0 ? '' : trimmed.slice(slash + 1).replace(/^\/+/, '') };
}

/** The first path component names a registry when it has a dot or a colon, or is localhost. */
export function namesRegistry(reference: string): string | undefined {
  const slash = reference.indexOf('/');
  if (slash <= 0) return undefined;
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/**
 * The graph artifact's full reference, as the reference's CLI builds it:
 * the endpoint host without trailing '/', then '/', then the artifact.
 */
export function graphImageReference(endpointHost: string, artifact: string): string {
  return `${endpointHost.trim().replace(/\/+$/, '')}/${artifact.trim()}`;
}

/**
 * A module reference from a graph, resolved against the graph's registry
 * endpoint. Hostname-only hosts take repository-qualified module references
 * (`ghcr.io` + `azure-samples/explore-iot-operations/temperature:1.0.0`, the
 * runtime since mid 2026). Hosts with a path prefix are prefixed to the module
 * reference (`ghcr.io/azure-samples/explore-iot-operations` + `temperature:1.0.0`,
 * the earlier runtime), unless the reference already starts with that prefix,
 * in which case it is used as is, so both generations of sample graphs resolve
 * to the same artifact. A module reference that names a registry must name the
 * endpoint's: modules come from the same endpoint as the graph.
 */
export function moduleImageReference(endpointHost: string, module: string): string {
  const { registry, prefix } = splitEndpointHost(endpointHost);
  const ref = module.trim();
  const named = namesRegistry(ref);
  if (named) {
    if (named !== registry) {
      throw new Error(`module "${module}" names registry ${named}, but modules resolve against the graph's registry endpoint ${endpointHost}`);
    }
    return ref;
  }
  if (!prefix || ref.startsWith(`${prefix}/`)) return `${registry}/${ref}`;
  return `${registry}/${prefix}/${ref}`;
}
