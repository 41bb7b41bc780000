/** The version of the privacy policy in force when a record is collected; stored with every customer and order. */
export const POLICY_VERSION = '2024.1';
