/** The kinds of YAML document the editor knows, each with its JSON schema and descriptions. */
import { dataflowGraphSchema, graphDefinitionSchema } from '@wgs/graph-model';
import type { Descriptions } from './completion.ts';
import { dataflowGraphDescriptions, graphDefinitionDescriptions } from './descriptions.ts';
import type { JsonSchema } from './json-schema.ts';

export type DocumentKind = 'graph-definition' | 'dataflow-resource';

export const documentSchemas: Record<DocumentKind, { schema: JsonSchema; descriptions: Descriptions }> = {
  'graph-definition': { schema: graphDefinitionSchema, descriptions: graphDefinitionDescriptions },
  'dataflow-resource': { schema: dataflowGraphSchema, descriptions: dataflowGraphDescriptions },
};
