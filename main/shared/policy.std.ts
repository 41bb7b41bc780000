/**
 * The label of the first policy version: the company's text, loaded by migration 0013. Rows are stamped with the
 * version in force when they are inserted (the policy feature's `policyVersionInForce`); this is what a row
 * prepared without database access carries until then, and what tools writing rows directly use (the benchmark).
 */
export const POLICY_VERSION = '1';
