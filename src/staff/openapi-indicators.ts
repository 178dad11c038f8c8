/** The `indicators` of GET /api/summary's answer (src/staff/summary-indicators.ts), for the OpenAPI document. */
import { z } from 'zod';

const departmentVolumeRowSchema = z.object({
  department: z.string(),
  complaints: z.number(),
  orders: z.number().nullable(),
  customers: z.number().nullable(),
});

const rates = { perThousandOrders: z.number().nullable(), perThousandCustomers: z.number().nullable() };
const cell = z.object({
  id: z.string().nullable(),
  answered: z.number(),
  average: z.number().nullable(),
  previousAnswered: z.number(),
  previousAverage: z.number().nullable(),
  change: z.number().nullable(),
});

/** Complaint rates against imported volumes, satisfaction by dimension against the previous period, per person. */
export const indicatorsAnswerSchema = z.object({
  complaintRate: z.object({
    overall: departmentVolumeRowSchema.omit({ department: true }).extend(rates),
    byDepartment: z.array(departmentVolumeRowSchema.extend(rates)),
  }),
  satisfactionBy: z.object({
    previousPeriod: z.object({ from: z.string(), to: z.string() }),
    category: z.array(cell),
    channel: z.array(cell),
    severity: z.array(cell),
    department: z.array(cell),
    staff: z.array(cell),
    tier: z.array(cell),
  }),
  people: z.object({
    sla: z.array(
      z.object({ staff: z.string().nullable(), met: z.number(), breached: z.number(), pending: z.number() }),
    ),
    recovery: z.array(
      z.object({ owner: z.string().nullable(), tasks: z.number(), recovered: z.number(), rate: z.number().nullable() }),
    ),
  }),
});
