import { Type, type Static } from '@sinclair/typebox';
import { Resource } from './resources.ts';

/** POST /api/dataflowgraphs/:name/copy-artifacts */
export const CopyArtifactsRequest = Type.Object({
  /** The RegistryEndpoint to copy to (not the embedded one). */
  registryEndpoint: Type.String({ minLength: 1, maxLength: 253 }),
  /** The draft whose Graph nodes are copied; omitted: the saved copy, which is then saved rewritten. */
  draft: Type.Optional(Resource),
});
export type CopyArtifactsRequest = Static<typeof CopyArtifactsRequest>;

export const CopiedReference = Type.Object({
  /** Full reference it was copied from (the embedded registry: the bare reference). */
  from: Type.String(),
  /** Full reference on the target registry. */
  to: Type.String(),
  digest: Type.String(),
});

export const CopiedGraph = Type.Object({
  node: Type.String(),
  graph: CopiedReference,
  modules: Type.Array(Type.Intersect([Type.Object({ module: Type.String() }), CopiedReference])),
});
export type CopiedGraph = Static<typeof CopiedGraph>;

export const CopyArtifactsResult = Type.Object({
  /** The draft with the copied nodes' registryEndpointRef (and artifact) rewritten. */
  draft: Resource,
  copied: Type.Array(CopiedGraph),
  /** The rewritten draft was saved in the store (the request named no draft). */
  saved: Type.Boolean(),
});
export type CopyArtifactsResult = Static<typeof CopyArtifactsResult>;
