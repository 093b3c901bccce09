/**
 * JSON schema of a DataflowProfile's spec (reference §4.5). graph-model does
 * not validate profiles otherwise; the CRD is generated from this.
 */
export const dataflowProfileSpecSchema = {
  type: 'object',
  properties: {
    // "1–20; use 1 for stateful graphs"
    instanceCount: { type: 'integer', minimum: 1, maximum: 20 },
    diagnostics: {
      type: 'object',
      properties: {
        logs: { type: 'object', properties: { level: { type: 'string', maxLength: 64 } } },
        metrics: { type: 'object', properties: { prometheusPort: { type: 'integer', minimum: 1, maximum: 65_535 } } },
      },
    },
  },
};
