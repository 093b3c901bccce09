/** A graph definition as stored in the registry (the reference's "graph config"). */
export type OperationType = 'source' | 'map' | 'filter' | 'branch' | 'concatenate' | 'accumulate' | 'delay' | 'sink';

export const OPERATION_TYPES: readonly OperationType[] = [
  'source', 'map', 'filter', 'branch', 'concatenate', 'accumulate', 'delay', 'sink',
];

/** Operation kinds that run a WASM operator and therefore need a `module`. */
export const MODULE_OPERATION_TYPES: readonly OperationType[] = ['map', 'filter', 'branch', 'accumulate', 'delay'];

export interface GraphMetadata {
  $schema: string;
  name: string;
  version: string;
  description?: string | null;
  vendor?: string | null;
}

export interface ModuleRequirements {
  apiVersion: string;
  runtimeVersion: string;
  features?: { name: string; value?: string | null }[] | null;
}

export interface ConfigParameter {
  name: string;
  description?: string | null;
  default?: string | null;
  required?: boolean;
}

export interface ModuleConfiguration {
  name: string;
  parameters: Record<string, ConfigParameter>;
}

export interface Operation {
  name: string;
  operationType: OperationType;
  module?: string | null;
}

export type Arm = 'True' | 'False';

export interface Connection {
  from: { name: string; arm?: Arm | null; schemaName?: string | null };
  to: { name: string };
  /**
   * Composite graphs only (flattenDataflow; users cannot write it, the graph schema refuses it):
   * the source sends a message along this connection only when its topic matches one of these filters.
   */
  topics?: string[];
}

export interface SchemaConfiguration {
  name: string;
  format: string;
  schema: string;
}

export interface GraphDefinition {
  metadata: GraphMetadata;
  moduleRequirements: ModuleRequirements;
  operations: Operation[];
  connections: Connection[];
  moduleConfigurations?: ModuleConfiguration[];
  schemas?: SchemaConfiguration[];
}
