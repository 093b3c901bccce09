/**
 * Registry errors: every message is one line that names the registry (a host
 * or a layout folder) and what was asked for.
 */
export class RegistryError extends Error {
  constructor(readonly registry: string, detail: string, readonly status?: number, readonly code?: string) {
    super(`registry ${registry}: ${detail}`);
    this.name = 'RegistryError';
  }
}

/** The registry could not be reached (refused, DNS, TLS, timeout): a cached copy may stand in. */
export class RegistryUnreachableError extends RegistryError {
  constructor(registry: string, detail: string, readonly timedOut = false) {
    super(registry, detail);
    this.name = 'RegistryUnreachableError';
  }
}

/** 401/403: credentials missing, wrong, or not allowed to do this. */
export class RegistryAuthError extends RegistryError {
  constructor(registry: string, detail: string, status: number) {
    super(registry, detail, status);
    this.name = 'RegistryAuthError';
  }
}

export type NotFoundWhat = 'repository' | 'tag' | 'manifest' | 'blob';

export class ArtifactNotFoundError extends RegistryError {
  constructor(registry: string, readonly what: NotFoundWhat, readonly reference: string, detail?: string) {
    super(registry, detail ?? `${what} ${reference} not found`, 404);
    this.name = 'ArtifactNotFoundError';
  }
}

export class DigestMismatchError extends RegistryError {
  constructor(registry: string, readonly what: string, readonly expected: string, readonly actual: string) {
    super(registry, `${what} does not match its digest ${expected} (content hashes to ${actual}); nothing was kept`);
    this.name = 'DigestMismatchError';
  }
}

/** A manifest that is not JSON, not a manifest, or of a media type that cannot be used here. */
export class ManifestError extends RegistryError {
  constructor(registry: string, detail: string) {
    super(registry, detail);
    this.name = 'ManifestError';
  }
}

/** An artifact of the wrong kind, e.g. pulling a graph where a module is needed. */
export class ArtifactKindError extends RegistryError {
  constructor(registry: string, detail: string) {
    super(registry, detail);
    this.name = 'ArtifactKindError';
  }
}

/** An answer larger than this client reads (an endless or oversized body): reading stopped at `limit` bytes. */
export class ResponseTooLargeError extends RegistryError {
  constructor(registry: string, what: string, readonly limit: number) {
    super(registry, `${what}: the answer is larger than ${limit} bytes (${(limit / 1024 / 1024).toFixed(limit < 1024 * 1024 ? 2 : 0)} MiB); stopped reading it`);
    this.name = 'ResponseTooLargeError';
  }
}
