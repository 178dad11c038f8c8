/**
 * The routing configuration's schema and parser: departments, categories, severity rules, SLAs. Reading the file is
 * src/routing-file.ts's job (dialogs/ does no I/O); this turns its text into a validated configuration.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { DialogError } from './errors.ts';
import { surveySchema } from './survey-config.ts';

const names = z.object({ en: z.string().min(1), 'zh-Hans': z.string().min(1) });
const keywords = z.object({ en: z.array(z.string().min(1)).default([]), zh: z.array(z.string().min(1)).default([]) });
const rule = z.object({
  reason: z.string().min(1),
  // A rule naming tiers may have no keywords: the tier alone raises.
  keywords: keywords.default({ en: [], zh: [] }),
  /** A match is a hand-off staff must see (a legal or regulator threat): a badge on the Slack card and a mention. */
  handoff: z.boolean().optional(),
  /** Customer tiers the rule is for (dialogs/tier-routing.ts): it raises only their tickets, with its keywords if any. */
  tiers: z.array(z.string().min(1)).min(1).optional(),
});

/** Who was at fault for a complaint's root cause (issue #16): what a resolution's cause is counted by. */
export const faultSchema = z.enum(['product', 'staff', 'process', 'partner', 'misunderstanding']);
const remedy = z.object({ id: z.string().regex(/^[a-z_]+$/), label: names });
const rootCause = z.object({ id: z.string().regex(/^[a-z_]+$/), label: names, fault: faultSchema });
const uniqueIds = (list: Array<{ id: string }>) => new Set(list.map((x) => x.id)).size === list.length;
/** The remedies a resolution may record when routing.yaml names none. */
export const DEFAULT_REMEDIES: Array<z.input<typeof remedy>> = [
  { id: 'refund', label: { en: 'Refund', 'zh-Hans': '退款' } },
  { id: 'replacement', label: { en: 'Replacement', 'zh-Hans': '换货' } },
  { id: 'repair', label: { en: 'Repair', 'zh-Hans': '维修' } },
  { id: 'compensation', label: { en: 'Compensation', 'zh-Hans': '补偿' } },
  { id: 'apology', label: { en: 'Apology', 'zh-Hans': '道歉' } },
  { id: 'explanation', label: { en: 'Explanation', 'zh-Hans': '解释说明' } },
  { id: 'none', label: { en: 'None', 'zh-Hans': '无' } },
];
/** The root causes a resolution may record when routing.yaml names none, one per kind of fault. */
export const DEFAULT_ROOT_CAUSES: Array<z.input<typeof rootCause>> = [
  { id: 'product_defect', label: { en: 'Product defect', 'zh-Hans': '产品缺陷' }, fault: 'product' },
  { id: 'staff_error', label: { en: 'Staff error or conduct', 'zh-Hans': '员工失误或态度' }, fault: 'staff' },
  { id: 'process_gap', label: { en: 'Process or policy gap', 'zh-Hans': '流程或制度问题' }, fault: 'process' },
  { id: 'partner_or_dealer', label: { en: 'Partner or dealer', 'zh-Hans': '合作方或经销商' }, fault: 'partner' },
  { id: 'misunderstanding', label: { en: 'Misunderstanding', 'zh-Hans': '误解' }, fault: 'misunderstanding' },
];

const tier = z.object({
  id: z.string().regex(/^[a-z_]+$/),
  label: names,
  /** Multiplies the SLA hours of this tier's tickets (0.5: answered in half the time); only shortens. */
  sla_factor: z.number().positive().max(1).optional(),
});
/** The customer tiers when routing.yaml names none (issue #16 item 6): all answered alike until rules say otherwise. */
export const DEFAULT_TIERS: Array<z.input<typeof tier>> = [
  { id: 'core', label: { en: 'Core customer', 'zh-Hans': '核心客户' } },
  { id: 'key', label: { en: 'Key customer', 'zh-Hans': '重点客户' } },
  { id: 'ordinary', label: { en: 'Ordinary customer', 'zh-Hans': '普通客户' } },
];

const recoverySchema = z.object({
  /** Hours the owner has to contact the customer personally. */
  deadline_hours: z.number().positive().max(8760).default(48),
  /** Hours before the deadline the owner is reminded; 0, or as long as the deadline or longer: no reminder. */
  reminder_hours: z.number().min(0).default(12),
  /** Low-score rounds a ticket's owner handles; the next one goes to the department's escalation target. */
  max_rounds: z.number().int().min(1).max(20).default(2),
});
/** The recovery settings when routing.yaml has no `recovery` section: 48 hours, reminded 12 hours before, two rounds. */
export const DEFAULT_RECOVERY = { deadline_hours: 48, reminder_hours: 12, max_rounds: 2 };

/** Schema of `dialogs/routing.yaml`. */
export const routingConfigSchema = z
  .object({
    version: z.literal(1),
    departments: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z_]+$/),
          name: names,
          escalation: z.string().min(1),
          /** Slack channel id (C…) of the department's console. */
          slack_channel: z
            .string()
            .regex(/^[CG][A-Z0-9]+$/, 'must be a Slack channel id such as C0123456789')
            .optional(),
          /** Managers who receive the daily and weekly digests by email. */
          managers: z.array(z.email()).default([]),
          /** Slack user group id (S…) mentioned on urgent tickets, and on hand-offs while the ticket is unclaimed. */
          oncall: z
            .string()
            .regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id such as S0123456789')
            .optional(),
          /** Who a breached SLA is escalated to in Slack: a user (U…), a user group (S…) or a channel (C…). */
          escalation_slack: z
            .string()
            .regex(/^[USCG][A-Z0-9]+$/, 'must be a Slack user (U…), user group (S…) or channel (C…) id')
            .optional(),
          /** Who owns a recovery task while the ticket is unclaimed (issue #16): a Slack user (U…) or user group (S…). */
          lead: z
            .string()
            .regex(/^[USW][A-Z0-9]+$/, 'must be a Slack user (U…) or user group (S…) id')
            .optional(),
          /** Slack users (U…) who may act on the department's tickets without being members of its channel. */
          staff: z
            .array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U0123456789'))
            .default([]),
        }),
      )
      .min(1),
    categories: z
      .array(z.object({ id: z.string().regex(/^[a-z_]+$/), department: z.string(), label: names, keywords }))
      .min(1),
    default_category: z.object({ id: z.string(), department: z.string(), label: names }),
    severity: z.object({ urgent: z.array(rule).default([]), serious: z.array(rule).default([]) }),
    sla_hours: z.object({
      urgent: z.number().positive(),
      serious: z.number().positive(),
      ordinary: z.number().positive(),
    }),
    /** A trained model (npx redress router train); ROUTER_MODEL overrides `file`. */
    model: z
      .object({
        file: z.string().optional(),
        /** Below this probability the complaint goes to the default (triage) category instead of a guess. */
        min_confidence: z.number().min(0).max(1).default(0.5),
        /** Model label → category id; a label that already is a category id needs no entry. */
        labels: z.record(z.string(), z.string()).default({}),
      })
      .optional(),
    /**
     * Renamed or merged labels in training and evaluation data, old label → new label (what `--map old=new` does on
     * the command line): `router train` and `router eval` apply it to every row, so a label renamed years ago in an
     * export is not a class of its own.
     */
    labels: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** Explicit rules that win over the model: when a keyword matches, the category is the rule's. */
    overrides: z.array(z.object({ category: z.string(), reason: z.string().min(1), keywords })).default([]),
    /** What a resolution may record as done for the customer (issue #16); the seven usual remedies when absent. */
    remedies: z.array(remedy).min(1).refine(uniqueIds, 'remedy ids must be unique').default(DEFAULT_REMEDIES),
    /** Why a complaint happened and who was at fault, recorded on resolution; one cause per fault when absent. */
    root_causes: z
      .array(rootCause)
      .min(1)
      .refine(uniqueIds, 'root cause ids must be unique')
      .default(DEFAULT_ROOT_CAUSES),
    /** Recovering unhappy customers (issue #16): a low score's recovery task, its deadline, reminder and rounds. */
    recovery: recoverySchema.default(DEFAULT_RECOVERY),
    /** Customer tiers, highest first; the default tier is a customer's until staff set another. */
    tiers: z.array(tier).min(1).refine(uniqueIds, 'tier ids must be unique').default(DEFAULT_TIERS),
    default_tier: z.string().default('ordinary'),
    /** The satisfaction survey (issue #16): its questions and low-score threshold; score, solved, comment when absent. */
    survey: surveySchema,
  })
  .superRefine((c, ctx) => {
    const ids = new Set(c.departments.map((d) => d.id));
    [...c.categories, c.default_category].forEach((cat, i) => {
      if (!ids.has(cat.department)) {
        ctx.addIssue({
          code: 'custom',
          path: ['categories', i, 'department'],
          message: `unknown department "${cat.department}"`,
        });
      }
    });
    const categories = new Set([...c.categories.map((x) => x.id), c.default_category.id]);
    for (const [label, category] of Object.entries(c.model?.labels ?? {})) {
      if (!categories.has(category))
        ctx.addIssue({ code: 'custom', path: ['model', 'labels', label], message: `unknown category "${category}"` });
    }
    const tiers = new Set(c.tiers.map((t) => t.id));
    if (!tiers.has(c.default_tier))
      ctx.addIssue({ code: 'custom', path: ['default_tier'], message: `unknown tier "${c.default_tier}"` });
    for (const level of ['urgent', 'serious'] as const)
      c.severity[level].forEach((r, i) =>
        (r.tiers ?? []).forEach((t, j) => {
          if (!tiers.has(t))
            ctx.addIssue({ code: 'custom', path: ['severity', level, i, 'tiers', j], message: `unknown tier "${t}"` });
        }),
      );
    c.overrides.forEach((o, i) => {
      if (!categories.has(o.category))
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i, 'category'],
          message: `unknown category "${o.category}"`,
        });
    });
  });

/** A validated routing configuration. */
export type RoutingConfig = z.infer<typeof routingConfigSchema>;

/** Parses and validates routing configuration text; ROUTING_INVALID lists every problem with its path. */
export function parseRoutingConfig(text: string, source = 'routing configuration'): RoutingConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new DialogError('ROUTING_INVALID', `${source}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  const r = routingConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new DialogError('ROUTING_INVALID', `${source} is invalid:\n  - ${problems.join('\n  - ')}`, {
    cause: r.error,
    details: problems,
  });
}
