/** The OpenAPI 3.1 document of the /api/ routes and the webhook payloads, generated from their zod schemas. */
import { z } from 'zod';
import { ticketReferenceSchema } from '../domain/reference.ts';
import { webhookEventTypeSchema } from '../webhooks/event-types.ts';
import { apiRoutes, type ApiRoute } from './openapi-routes.ts';
import { errorAnswerSchema, noTicketSchema, ticketViewSchema } from './openapi-schemas.ts';
import { webhookPayloadSchema } from './openapi-webhooks.ts';

type Json = Record<string, unknown>;

/** Where a component schema is referred to from. */
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

// JSON Schema 2020-12 (OpenAPI 3.1's dialect) without the keywords a schema inside the document does not carry.
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return rest;
}

/** The OpenAPI path of a restify path: `/api/tickets/:reference` → `/api/tickets/{reference}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** A route's operationId: its method and path words, e.g. getApiTicketsReferenceRecovery. */
export function operationId(r: Pick<ApiRoute, 'method' | 'path'>): string {
  const words = r.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return r.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

// The answers' schemas as components: named ones first, so the others refer to them rather than repeat them.
function answerComponents(routes: ApiRoute[]): { schemas: Json; idOf: Map<z.ZodType, string> } {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  const add = (id: string, schema: z.ZodType) => {
    if (idOf.has(schema)) return;
    idOf.set(schema, id);
    registry.add(schema, { id });
  };
  add('Ticket', ticketViewSchema);
  add('NoTicket', noTicketSchema);
  add('Error', errorAnswerSchema);
  add('WebhookPayload', webhookPayloadSchema);
  for (const r of routes)
    for (const [status, a] of Object.entries(r.answers))
      if (a.schema)
        add(
          `${operationId(r)}${status}`.replace(/^./, (c) => c.toUpperCase()),
          a.schema,
        );
  const out = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  const schemas = Object.fromEntries(Object.entries(out.schemas).map(([id, { $schema: _, $id: __, ...s }]) => [id, s]));
  return { schemas, idOf };
}

function parameters(r: ApiRoute): Json[] {
  const inPath = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: jsonSchema(r.pathParams?.[m[1]] ?? ticketReferenceSchema, 'input'),
  }));
  if (!r.query) return inPath;
  const q = jsonSchema(r.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  const inQuery = Object.entries(q.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: q.required?.includes(name) ?? false,
    schema,
  }));
  return [...inPath, ...inQuery];
}

function requestBody(r: ApiRoute): Json | undefined {
  if (r.upload)
    return {
      required: true,
      description: 'The transcript: multipart/form-data with the field `file`, or the raw body (fields in the query).',
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'text/plain' } } },
        },
        // The raw body's type names the format: text/vtt, SRT, a provider's JSON export or plain text.
        '*/*': { schema: { type: 'string' } },
      },
    };
  if (!r.body) return undefined;
  return { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
}

function operation(r: ApiRoute, idOf: Map<z.ZodType, string>): Json {
  const responses: Json = {};
  for (const [status, a] of Object.entries(r.answers)) {
    const media = a.media ?? 'application/json';
    const schema = a.schema
      ? ref(idOf.get(a.schema)!)
      : media === 'text/csv'
        ? { type: 'string' }
        : media === 'application/octet-stream'
          ? { type: 'string', contentMediaType: 'application/octet-stream' }
          : { type: 'object' };
    responses[status] = { description: a.description, content: { [media]: { schema } } };
  }
  responses.default = {
    description: 'An error: 400 a bad request, 401 no or a wrong token, 404 no such ticket, 503 busy or no database',
    content: { 'application/json': { schema: ref('Error') } },
  };
  const body = requestBody(r);
  return {
    operationId: operationId(r),
    summary: r.summary,
    ...(r.auth === 'none' ? { security: [] } : { security: [{ [`${r.auth}Token`]: [] }] }),
    parameters: parameters(r),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

// One webhook per event type: the same payload with its `type` fixed.
function webhooks(): Json {
  return Object.fromEntries(
    webhookEventTypeSchema.options.map((type) => [
      type,
      {
        post: {
          summary: `${type}: sent to every destination subscribed to it, signed (docs/webhooks.md)`,
          parameters: ['X-Redress-Event', 'X-Redress-Event-Id', 'X-Redress-Signature'].map((name) => ({
            name,
            in: 'header',
            required: true,
            schema: { type: 'string' },
          })),
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { allOf: [ref('WebhookPayload'), { properties: { type: { const: type } } }] },
              },
            },
          },
          responses: { '2XX': { description: 'Received; any other answer is retried with backoff for 24 h' } },
        },
      },
    ]),
  );
}

/** The OpenAPI 3.1 document of `routes` (every /api/ route by default) and of the webhook payloads. */
export function openApiDocument(routes: ApiRoute[] = apiRoutes): Json {
  const { schemas, idOf } = answerComponents(routes);
  const paths: Record<string, Json> = {};
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r, idOf);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Redress API',
      version: '1',
      description: 'The staff, summary and transcript API of Redress, and the webhooks it sends (docs/staff-api.md).',
    },
    security: [{ staffToken: [] }],
    paths,
    webhooks: webhooks(),
    components: {
      schemas,
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        systemsToken: { type: 'http', scheme: 'bearer', description: 'API_TOKEN (transcript uploads)' },
      },
    },
  };
}
