/** The shape of a language pack: every customer-facing sentence, so no reply text lives in dialog code. */
import type { Field, Severity } from '../types.ts';
import type { ProblemKind } from '../understand/problem-frames.ts';

/** Parts of a restatement, already phrased in the pack's language. */
export interface RestateParts {
  what: string;
  /** What the complaint is about ("your kettle (order 4411)"), when `what` does not already say it. */
  subject?: string;
  when?: string;
  want?: string;
  amount?: string;
}

/** Every sentence the dialog can say, in one language. */
export interface LanguagePack {
  greeting: string;
  apology: Record<Severity, string[]>;
  urgentSafety: string;
  restate(p: RestateParts): string;
  /** What went wrong, in our words, for each kind of problem; `subject` is the product ("your kettle") if known. */
  problems: Record<ProblemKind, (subject?: string, detail?: string) => string>;
  /** Joins two problems into one clause ("… and …"). */
  and: string;
  /** Introduces a restatement the customer is asked to confirm. */
  checkUnderstood(restatement: string): string;
  confirmQuestion: string;
  askWhatWrong: string;
  askCorrection: string;
  thanksConfirmed: string;
  ask: Record<Field, string>;
  askContactForHandoff: string;
  invalidEmail(value: string): string;
  invalidPhone(value: string): string;
  invalidDate: string;
  unknownAnswer(field: Field): string;
  updated(fields: string[]): string;
  /** Acknowledges details just given ("Thanks, Pat — I've noted your email address."). */
  noted(fields: string[], name?: string): string;
  fieldNames: Record<Field | 'email' | 'phone' | 'amount', string>;
  ticketOpened(p: { reference: string; department: string; due: string; summary: string }): string;
  handoffOpened(p: { reference: string; due: string }): string;
  handoffNoted(reference: string): string;
  cancelled: string;
  restarted: string;
  withdrawConfirm(reference: string): string;
  withdrawn(reference: string): string;
  keepTicket(reference: string): string;
  offTopic: string;
  /** Answers "are you a bot?" honestly. */
  botAnswer: string;
  /** Answers "I already told you" before the question is asked again. */
  sorryIfMissed: string;
  /** Answers "what are my options?" asked while details are being taken. */
  processAnswer: string;
  abuse: string;
  abuseHandoff: string;
  empty: string;
  attachmentOnly: string;
  tooLong(max: number): string;
  ticketUpdate(p: { reference: string; due: string }): string;
  /** To thanks, "ok" or "bye" after the ticket: where it stands (nothing is added to it). */
  ticketStands(p: { reference: string; due: string }): string;
  /** To "what happens next?" after the ticket: what the team will do, and by when. */
  ticketNext(p: { reference: string; due: string }): string;
  welcomeBack(reference: string): string;
  newComplaintHint: string;
  acknowledgement(p: { reference: string; department: string; due: string }): string;
  /** The satisfaction check: the survey's questions (`questions`, already listed) asked in one message. */
  satisfactionCheck(reference: string, questions: string): string;
  /** The second follow-up after a low score: the survey again, in one message. */
  secondFollowup(reference: string, questions: string): string;
  satisfactionThanks(reference: string): string;
  satisfactionNeutral(reference: string): string;
  satisfactionSorry(reference: string): string;
  /** A reply that gave no score: the score question asked again (once). */
  scoreUnclear(question: string): string;
  /** Other answers were given but no score: thanks, and the score question. */
  surveyAskScore(question: string): string;
  /** The score was asked for once and still not given: the answers are kept and the survey ends. */
  surveyNoted(reference: string): string;
  resolutions: Record<string, string>;
  /** Short names of details, for the list a letter asks for. */
  detailNames: Record<Field, string>;
  letterUnderstood(restatement: string): string;
  letterOpened(p: { reference: string; department: string; due: string }): string;
  letterMissing(items: string[]): string;
  letterCorrections: string;
  letterUpdated(p: { reference: string; due: string }): string;
  letterComplete: string;
  attachmentRefused(name: string, megabytes: string): string;
  callUnderstood(restatement: string): string;
  callNoComplaint: string;
  formatDate(iso: string, now: Date): string;
  /** A day that stands for a span the customer named ("around 27 November", "11月27日前后"). */
  formatApproxDate(iso: string, now: Date): string;
  /** A promised time, on the wall clock of the customer's zone when known (else UTC), with the zone named. */
  formatDue(iso: string, timeZone?: string): string;
  list(items: string[]): string;
  /** Turns the customer's first-person account into the second person ("my order" → "your order"). */
  toSecondPerson(text: string): string;
  /** A wish in the customer's own words, as what follows "you would like" (in the second person). */
  wish(text: string): string;
}
