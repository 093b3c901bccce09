export * from './media-types.ts';
export * from './oci-layout.ts';
export * from './embedded.ts';
