import type { FastifyInstance } from 'fastify';
import { ERROR_CODES, MessageSchema, SchemaIdParams, SchemaList, SchemaPutRequest } from '@wgs/api-contract';
import { checkSchemaId, type SchemaStore } from '@wgs/cluster-store';
import { schemaContentProblem, schemaRefOf, type RegistrySchema } from '@wgs/graph-model';
import { ApiError } from '../plugins/errors.ts';

const summary = (s: RegistrySchema) => ({ namespace: s.namespace, name: s.name, version: s.version, format: s.format, ref: schemaRefOf(s) });

/** `/api/schemas`: list, get, put (create or replace) and delete the message schemas previews and the engine read. */
export function registerSchemaRoutes(app: FastifyInstance, schemas: SchemaStore): void {
  const idOf = (params: unknown) => {
    const id = params as SchemaIdParams;
    checkSchemaId(id);
    return id;
  };
  const notFound = (id: SchemaIdParams) => new ApiError(404, { code: ERROR_CODES.notFound, message: `schema ${schemaRefOf(id)} not found in ${schemas.description}` });

  app.get('/api/schemas', { schema: { response: { 200: SchemaList } } }, async () => {
    const { schemas: items, problems } = await schemas.list();
    return { items: items.map(summary), problems, store: schemas.description };
  });

  app.get('/api/schemas/:namespace/:name/:version', { schema: { params: SchemaIdParams, response: { 200: MessageSchema } } }, async (req) => {
    const id = idOf(req.params);
    const s = await schemas.get(id);
    if (!s) throw notFound(id);
    return { ...summary(s), content: s.content };
  });

  app.put('/api/schemas/:namespace/:name/:version', { schema: { params: SchemaIdParams, body: SchemaPutRequest, response: { 200: MessageSchema, 201: MessageSchema } } }, async (req, reply) => {
    const id = idOf(req.params);
    const body = req.body as SchemaPutRequest;
    const format = body.format ?? 'json';
    const problem = schemaContentProblem(format, body.content);
    if (problem) throw new ApiError(422, { code: ERROR_CODES.invalidSchema, message: `schema ${schemaRefOf(id)}: ${problem}`, where: [{ path: 'content', message: problem }] });
    const schema: RegistrySchema = { namespace: id.namespace, name: id.name, version: id.version, format, content: body.content };
    const { created } = await schemas.put(schema);
    return reply.status(created ? 201 : 200).send({ ...summary(schema), content: schema.content });
  });

  app.delete('/api/schemas/:namespace/:name/:version', { schema: { params: SchemaIdParams } }, async (req, reply) => {
    const id = idOf(req.params);
    if (!(await schemas.delete(id))) throw notFound(id);
    return reply.status(204).send();
  });
}
