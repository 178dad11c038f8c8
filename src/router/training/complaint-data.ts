/**
 * The labelled data of the complaint / not-a-complaint detector, and its one fixed train/test split. Shared by the
 * training script (src/router/training/train-complaint.ts) and the held-out test, so both see exactly the same rows and split.
 *
 * Sources (see ../shared/data/README.md for provenance):
 * - en-twitter-complaints.csv: tweets to brands labelled complaint 1/0 by people (the only English data with real labels).
 * - banking77-test.csv: English bank customer-service messages labelled by intent. Used with care: only intents that
 *   are unambiguous for complaint intake are kept. "Something went wrong" intents (charged twice, card not working,
 *   transfer failed, payment not recognised, ...) count as complaints; plain information intents (exchange rates,
 *   age limit, supported countries, how to top up, ...) count as not-a-complaint, minus any message in them that
 *   reports a problem anyway ("My top-up for Google Pay isn't working"). Every mixed intent is left out.
 * - zh-shopping-complaints.csv: Chinese negative product reviews, all complaints.
 * - test/fixtures/zh-taobao-customer-turns.tsv: the customer turns of the real Taobao service dialogues in
 *   zh-taobao-dialogues-sample.tsv, labelled by hand (most are plain questions; 36 are complaints). Without them the
 *   Chinese data would have no non-complaint at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { evaluate } from './metrics.ts';
import { stratifiedSplit } from '../../../dialogs/classifier/random.ts';

/** One labelled message. */
export interface ComplaintRow {
  text: string;
  complaint: boolean;
  lang: 'en' | 'zh';
  source: 'twitter' | 'banking77' | 'zh-shopping' | 'taobao';
}

/** The split: seed and share of each source × label stratum kept for the held-out test. */
export const COMPLAINT_SPLIT_SEED = 42;
export const COMPLAINT_TEST_SHARE = 0.3;
/** Where the shared data lives, relative to the project root. */
export const SHARED_DATA_DIR = '../shared/data';
/** The hand-labelled Taobao customer turns. */
export const TAOBAO_LABELS = 'test/fixtures/zh-taobao-customer-turns.tsv';

/** banking77 intents that are a customer reporting that something went wrong. */
export const BANKING_COMPLAINT_INTENTS = new Set([
  'card_payment_wrong_exchange_rate',
  'extra_charge_on_statement',
  'card_not_working',
  'wrong_amount_of_cash_received',
  'card_payment_fee_charged',
  'transfer_not_received_by_recipient',
  'balance_not_updated_after_cheque_or_cash_deposit',
  'balance_not_updated_after_bank_transfer',
  'card_payment_not_recognised',
  'compromised_card',
  'direct_debit_payment_not_recognised',
  'declined_cash_withdrawal',
  'declined_transfer',
  'Refund_not_showing_up',
  'declined_card_payment',
  'transaction_charged_twice',
  'failed_transfer',
  'virtual_card_not_working',
  'wrong_exchange_rate_for_cash_withdrawal',
  'top_up_failed',
  'cash_withdrawal_not_recognised',
  'beneficiary_not_allowed',
  'unable_to_verify_identity',
  'card_swallowed',
]);

/** banking77 intents that are a request for information or a service, with no problem in them. */
export const BANKING_QUESTION_INTENTS = new Set([
  'exchange_rate',
  'fiat_currency_support',
  'automatic_top_up',
  'exchange_via_app',
  'age_limit',
  'top_up_by_bank_transfer_charge',
  'top_up_limits',
  'supported_cards_and_currencies',
  'getting_virtual_card',
  'card_acceptance',
  'edit_personal_details',
  'visa_or_mastercard',
  'disposable_card_limits',
  'atm_support',
  'receiving_money',
  'transfer_into_account',
  'getting_spare_card',
  'top_up_by_cash_or_cheque',
  'order_physical_card',
  'get_disposable_virtual_card',
  'exchange_charge',
  'activate_my_card',
  'card_about_to_expire',
  'verify_my_identity',
  'country_support',
  'change_pin',
  'transfer_timing',
  'verify_source_of_funds',
]);

// A message in an information intent that still reports a problem is left out rather than called a non-complaint.
const PROBLEM_WORDS =
  /\b(?:not|never|no|wrong|problem|issue|fail\w*|broken|stolen|lost|declined|denied|still|why|charged|error|help|dont|cant|wont|didnt|doesnt|isnt)\b|n't/i;

const csv = (path: string) =>
  parse<Record<string, string>>(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true });

/** Every labelled row, in a fixed order. `dir` is the shared data folder, `taobao` the hand-labelled turns. */
export function loadComplaintData(dir = SHARED_DATA_DIR, taobao = TAOBAO_LABELS): ComplaintRow[] {
  const rows: ComplaintRow[] = [];
  for (const r of csv(join(dir, 'en-twitter-complaints.csv')))
    rows.push({ text: r.text, complaint: r.complaint === '1', lang: 'en', source: 'twitter' });
  for (const r of csv(join(dir, 'banking77-test.csv'))) {
    if (BANKING_COMPLAINT_INTENTS.has(r.category))
      rows.push({ text: r.text, complaint: true, lang: 'en', source: 'banking77' });
    else if (BANKING_QUESTION_INTENTS.has(r.category) && !PROBLEM_WORDS.test(r.text))
      rows.push({ text: r.text, complaint: false, lang: 'en', source: 'banking77' });
  }
  for (const r of csv(join(dir, 'zh-shopping-complaints.csv')))
    rows.push({ text: r.review, complaint: true, lang: 'zh', source: 'zh-shopping' });
  for (const line of readFileSync(taobao, 'utf8').split('\n').slice(1)) {
    const [label, text] = line.split('\t');
    if (text?.trim()) rows.push({ text: text.trim(), complaint: label === '1', lang: 'zh', source: 'taobao' });
  }
  return rows.filter((r) => r.text.trim());
}

/** The one train/test split: stratified by source and label, seeded; the test part is never trained or tuned on. */
export function complaintSplit(rows: ComplaintRow[]): { train: ComplaintRow[]; test: ComplaintRow[] } {
  const split = stratifiedSplit(
    rows.map((r) => `${r.source}:${r.complaint ? 1 : 0}`),
    COMPLAINT_TEST_SHARE,
    COMPLAINT_SPLIT_SEED,
  );
  return { train: split.train.map((i) => rows[i]), test: split.test.map((i) => rows[i]) };
}

/** The model's two labels. */
export const COMPLAINT = 'complaint';
export const NOT_COMPLAINT = 'not_complaint';

/** Figures for the complaint class, and accuracy. */
export interface ComplaintMetrics {
  n: number;
  complaints: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

/** Complaint precision/recall/F1 and accuracy of decisions against the truth. */
export function complaintMetrics(truth: boolean[], predicted: boolean[]): ComplaintMetrics {
  const name = (c: boolean) => (c ? COMPLAINT : NOT_COMPLAINT);
  const e = evaluate(truth.map(name), predicted.map(name), [COMPLAINT, NOT_COMPLAINT]);
  const m = e.perLabel[COMPLAINT];
  return { n: e.n, complaints: m.support, precision: m.precision, recall: m.recall, f1: m.f1, accuracy: e.accuracy };
}
