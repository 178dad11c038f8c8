/** Complaint severity. dialogs/ owns the schema (it may not import src/); src/ takes it from here. */
import { severitySchema, type Severity } from '../../dialogs/types.ts';

/** Severity of a complaint: ordinary, serious, urgent (the CHECK constraint on tickets.severity). */
export { severitySchema, type Severity };

/** Severities most urgent first, for sorting (the schema lists them least urgent first). */
export const MOST_URGENT_FIRST: readonly Severity[] = [...severitySchema.options].reverse();
