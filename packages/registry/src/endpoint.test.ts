import { describe, expect, it } from 'vitest';
import { graphImageReference, moduleImageReference, splitEndpointHost } from './endpoint.ts';

describe('registry endpoint resolution (reference §5.3)', () => {
  it('builds the graph reference as host (without trailing /) + "/" + artifact', () => {
    expect(graphImageReference('myacr.azurecr.io', 'graph-simple:1.0.0')).toBe('myacr.azurecr.io/graph-simple:1.0.0');
    expect(graphImageReference('ghcr.io/azure-samples/explore-iot-operations/', 'graph-simple:1.0.0')).toBe('ghcr.io/azure-samples/explore-iot-operations/graph-simple:1.0.0');
    expect(graphImageReference('127.0.0.1:5000', 'samples/graph:2@sha256:' + 'a'.repeat(64))).toBe(`127.0.0.1:5000/samples/graph:2@sha256:${'a'.repeat(64)}`);
  });

  it('hostname-only endpoint: module references carry their repository path', () => {
    expect(moduleImageReference('ghcr.io', 'azure-samples/explore-iot-operations/temperature:1.0.0')).toBe('ghcr.io/azure-samples/explore-iot-operations/temperature:1.0.0');
    expect(moduleImageReference('myacr.azurecr.io', 'temperature:1.0.0')).toBe('myacr.azurecr.io/temperature:1.0.0');
  });

  it('host-with-path endpoint: the path prefixes short references, and qualified ones are not prefixed twice', () => {
    const host = 'ghcr.io/azure-samples/explore-iot-operations';
    expect(moduleImageReference(host, 'temperature:1.0.0')).toBe('ghcr.io/azure-samples/explore-iot-operations/temperature:1.0.0');
    expect(moduleImageReference(host, 'azure-samples/explore-iot-operations/temperature:1.0.0')).toBe('ghcr.io/azure-samples/explore-iot-operations/temperature:1.0.0');
    expect(moduleImageReference(`${host}/`, 'window:1.0.0')).toBe('ghcr.io/azure-samples/explore-iot-operations/window:1.0.0');
    // A reference that only shares a leading word with the prefix is still prefixed.
    expect(moduleImageReference('r.io/azure', 'azure-samples/x:1')).toBe('r.io/azure/azure-samples/x:1');
  });

  it('module references naming a registry must name the endpoint registry', () => {
    expect(moduleImageReference('127.0.0.1:5000/samples', '127.0.0.1:5000/samples/temperature:1.0.0')).toBe('127.0.0.1:5000/samples/temperature:1.0.0');
    expect(() => moduleImageReference('ghcr.io', 'docker.io/library/temperature:1')).toThrow('module "docker.io/library/temperature:1" names registry docker.io, but modules resolve against the graph\'s registry endpoint ghcr.io');
  });

  it('splits a host into registry and prefix', () => {
    expect(splitEndpointHost('localhost:5000')).toEqual({ registry: 'localhost:5000', prefix: '' });
    expect(splitEndpointHost('docker.io/myorg/')).toEqual({ registry: 'docker.io', prefix: 'myorg' });
    expect(() => splitEndpointHost('/x')).toThrow('names no registry');
  });
});
