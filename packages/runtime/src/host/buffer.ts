/**
 * The host-owned `buffer` resource. The guest reads it with `read()`; jco keeps
 * the object until the guest drops its handle.
 */
export class HostBuffer {
  constructor(private readonly bytes: Uint8Array) {}

  read(): Uint8Array {
    return this.bytes;
  }
}
