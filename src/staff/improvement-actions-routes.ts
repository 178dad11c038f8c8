/** The improvement action routes as data, for the OpenAPI document (src/staff/openapi-routes.ts lists them). */
import { z } from 'zod';
import {
  actionCreateSchema,
  actionListQuerySchema,
  actionPatchSchema,
  actionSummarySchema,
  actionViewSchema,
} from './improvement-actions.ts';
import { actionViewQuerySchema } from './improvement-actions-api.ts';
import type { ApiRoute } from './openapi-routes.ts';

const pathParams = { id: z.int().min(1) };
const action = (description: string) => ({ description, schema: actionViewSchema });
const actionList = z.object({ actions: z.array(actionSummarySchema) });

/** POST and GET /api/actions, GET and PATCH /api/actions/:id. */
export const actionRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/actions',
    summary: 'Open an improvement action (a root cause, an owner, a due date, linked tickets)',
    auth: 'staff',
    body: actionCreateSchema,
    answers: { 201: action('The action opened, with its history and effect') },
  },
  {
    method: 'get',
    path: '/api/actions',
    summary: 'Improvement actions: open first by due date, then finished ones',
    auth: 'staff',
    query: actionListQuerySchema,
    answers: { 200: { description: 'The actions', schema: actionList } },
  },
  {
    method: 'get',
    path: '/api/actions/:id',
    summary: 'One improvement action with its history and its effect on complaints of its root cause',
    auth: 'staff',
    pathParams,
    query: actionViewQuerySchema,
    answers: { 200: action('The action') },
  },
  {
    method: 'patch',
    path: '/api/actions/:id',
    summary: 'Change an action’s state, owner, due date or title; link or unlink tickets by reference',
    auth: 'staff',
    pathParams,
    body: actionPatchSchema,
    answers: { 200: action('The action after the change') },
  },
];
