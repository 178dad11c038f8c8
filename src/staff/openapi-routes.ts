/**
 * The /api/ routes as data: method, path, query, body and answers, each pointing at the zod schema the route parses
 * with or answers in. The OpenAPI document is generated from this list, and a test compares it with the routes the
 * server mounts, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { statusChangeSchema, reassignSchema } from './tickets.ts';
import { staffLoggedSchema } from './staff-logged.ts';
import { recoveryBodySchema } from './recovery-api.ts';
import { pointTierSchema, ticketTierSchema } from './tier-api.ts';
import { summaryQuerySchema } from './summary.ts';
import { volumesAnswerSchema, volumesBodySchema } from './volumes-api.ts';
import {
  noTicketSchema,
  pointTierAnswerSchema,
  recoveryListSchema,
  summaryAnswerSchema,
  ticketListQuerySchema,
  ticketListSchema,
  ticketViewSchema,
  ticketWithRecoverySchema,
} from './openapi-schemas.ts';
import { actionRoutes } from './improvement-actions-routes.ts';

/** One answer of a route: its description and body (JSON unless `media` says otherwise). */
export interface ApiAnswer {
  description: string;
  schema?: z.ZodType;
  media?: 'text/csv' | 'application/octet-stream';
}

/** One /api/ route. `path` is written as restify mounts it (`:reference`). */
export interface ApiRoute {
  method: 'get' | 'post' | 'patch';
  path: string;
  /** Path parameters other than a ticket `reference`, by name. */
  pathParams?: Record<string, z.ZodType>;
  summary: string;
  /** Whose token it takes: staff (ADMIN_TOKEN), systems (API_TOKEN), or none. */
  auth: 'staff' | 'systems' | 'none';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A file upload (multipart/form-data field `file`, or the raw body) instead of a JSON body. */
  upload?: boolean;
  answers: Record<number, ApiAnswer>;
}

const ticket = (description: string): ApiAnswer => ({ description, schema: ticketViewSchema });
// A text in which no complaint was found opens no ticket: 200 with the reason instead.
const ticketOrNone = z.union([ticketViewSchema, noTicketSchema]);

// The summary's period may be left out: the last 7 days in DIGEST_TZ (src/staff/summary-query.ts).
const periodQuery = summaryQuerySchema.partial({ from: true, to: true });

/** Every route under /api/ that Redress mounts, except Bot Framework's /api/messages (Microsoft's protocol). */
export const apiRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    auth: 'none',
    answers: { 200: { description: 'The OpenAPI document' } },
  },
  {
    method: 'get',
    path: '/api/tickets',
    summary: 'The latest tickets, newest first',
    auth: 'staff',
    query: ticketListQuerySchema,
    answers: { 200: { description: 'Tickets in short form', schema: ticketListSchema } },
  },
  {
    method: 'post',
    path: '/api/tickets',
    summary: 'Log a complaint staff took in person, by letter, by a live call or from a partner',
    auth: 'staff',
    body: staffLoggedSchema,
    answers: {
      200: { description: 'The same ticket again (same externalId), or no complaint found', schema: ticketOrNone },
      201: ticket('The ticket opened'),
    },
  },
  {
    method: 'get',
    path: '/api/tickets.csv',
    summary: 'Tickets of a period as CSV (one row per ticket)',
    auth: 'staff',
    query: periodQuery,
    answers: { 200: { description: 'CSV, header first', media: 'text/csv' } },
  },
  {
    method: 'get',
    path: '/api/tickets/:reference',
    summary: 'One ticket as staff see it',
    auth: 'staff',
    answers: { 200: ticket('The ticket') },
  },
  {
    method: 'post',
    path: '/api/tickets/:reference/status',
    summary: 'Change a ticket’s status (resolving with a resolution tells the customer)',
    auth: 'staff',
    body: statusChangeSchema,
    answers: { 200: ticket('The ticket after the change') },
  },
  {
    method: 'post',
    path: '/api/tickets/:reference/reassign',
    summary: 'Move a ticket to another category and/or department',
    auth: 'staff',
    body: reassignSchema,
    answers: { 200: ticket('The ticket after the change') },
  },
  {
    method: 'get',
    path: '/api/tickets/:reference/recovery',
    summary: 'The recovery tasks of a ticket (contacting an unhappy customer)',
    auth: 'staff',
    answers: { 200: { description: 'Recovery tasks, oldest first', schema: recoveryListSchema } },
  },
  {
    method: 'post',
    path: '/api/tickets/:reference/recovery',
    summary: 'Record the outcome of a recovery contact',
    auth: 'staff',
    body: recoveryBodySchema,
    answers: { 200: { description: 'The ticket with its recovery tasks', schema: ticketWithRecoverySchema } },
  },
  {
    method: 'post',
    path: '/api/tickets/:reference/tier',
    summary: 'Set the tier of the customer of a ticket',
    auth: 'staff',
    body: ticketTierSchema,
    answers: { 200: ticket('The ticket after the change') },
  },
  {
    method: 'post',
    path: '/api/customers/tier',
    summary: 'Set a customer’s tier by contact point',
    auth: 'staff',
    body: pointTierSchema,
    answers: { 200: { description: 'The contact points and how many tickets changed', schema: pointTierAnswerSchema } },
  },
  {
    method: 'get',
    path: '/api/summary',
    summary: 'Manager figures for a period (default: the last 7 days)',
    auth: 'staff',
    query: periodQuery,
    answers: { 200: { description: 'The figures', schema: summaryAnswerSchema } },
  },
  {
    method: 'post',
    path: '/api/volumes',
    summary:
      'Import order and customer volumes per day and department (all rows or none; a day imported again is replaced)',
    auth: 'staff',
    body: volumesBodySchema,
    answers: { 200: { description: 'How many rows were read and imported', schema: volumesAnswerSchema } },
  },
  {
    method: 'post',
    path: '/api/transcripts',
    summary: 'A call transcript in (WebVTT, SRT, JSON or text), a routed ticket out',
    auth: 'systems',
    upload: true,
    answers: {
      200: { description: 'The same ticket again for the same call, or no complaint found', schema: ticketOrNone },
      201: ticket('The ticket opened'),
    },
  },
  {
    method: 'get',
    path: '/api/attachments/:id',
    pathParams: { id: z.int().min(1) },
    summary: 'A file a customer sent (listed on its ticket), always as a download',
    auth: 'staff',
    answers: {
      200: { description: 'The file, its type as its content proved it', media: 'application/octet-stream' },
    },
  },
  ...actionRoutes,
];
