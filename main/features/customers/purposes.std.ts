import type { ConsentPurpose } from './consents.std.ts';

/**
 * The purposes the privacy policy names for the information iTechno collects, each with the legal basis the
 * console enforces it under. Read from the policy (../shared/seed/privacy-policy.txt):
 * - order fulfilment: "to fill customer orders … to contact clients/customers if there are issues processing an
 *   order" — needed to perform the contract the customer asked for;
 * - product upgrade information, newsletters, research: "to provide clients/customers with information about
 *   product upgrades, new products, services, newsletters, and research" — direct marketing, so consent;
 * - content relevance: "to assist iTechno in creating content that is relevant" and "better products", "compiled
 *   and analyzed … shall not be used in any way to identify" — aggregate analysis, legitimate interest (with
 *   the right to object), never used to single a customer out;
 * - third-party sharing: "we will not, without clients'/customers' prior consent, sell any information … to any
 *   third parties" — consent. (Sharing a name and address with a shipping company is part of order fulfilment.)
 */
export const LEGAL_BASES = ['contract', 'consent', 'legitimate_interest'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const LEGAL_BASIS_LABELS: Record<LegalBasis, string> = {
  contract: 'Contract (needed to fill the order)',
  consent: 'Consent (opt-in, withdrawable at any time)',
  legitimate_interest: 'Legitimate interest (aggregate only; the customer may object)',
};

export const PROCESSING_PURPOSES = ['orderFulfilment', 'productUpgrades', 'newsletter', 'research', 'contentRelevance', 'thirdPartySharing'] as const;
export type ProcessingPurpose = (typeof PROCESSING_PURPOSES)[number];

export interface PurposeDefinition {
  purpose: ProcessingPurpose;
  label: string;
  legalBasis: LegalBasis;
  /** The consent record that governs it, for purposes whose basis is consent. */
  consent: ConsentPurpose | null;
  /** What the policy says, quoted, so a reviewer can check the basis against the text. */
  policyText: string;
}

export const PURPOSES: readonly PurposeDefinition[] = [
  {
    purpose: 'orderFulfilment',
    label: 'Order fulfilment',
    legalBasis: 'contract',
    consent: null,
    policyText: 'for billing purposes and to fill customer orders … to contact clients/customers if there are issues processing an order',
  },
  {
    purpose: 'productUpgrades',
    label: 'Product upgrade information',
    legalBasis: 'consent',
    consent: 'productUpgrades',
    policyText: 'To provide clients/customers with information about product upgrades, new products, services',
  },
  { purpose: 'newsletter', label: 'Newsletters', legalBasis: 'consent', consent: 'newsletter', policyText: '… newsletters' },
  { purpose: 'research', label: 'Research', legalBasis: 'consent', consent: 'research', policyText: '… and research on future product ideas or improvements' },
  {
    purpose: 'contentRelevance',
    label: 'Content relevance',
    legalBasis: 'legitimate_interest',
    consent: null,
    policyText: 'To assist iTechno in creating content that is relevant to clients/customers … shall not be used in any way to identify our clients/customers personally',
  },
  {
    purpose: 'thirdPartySharing',
    label: 'Third-party sharing',
    legalBasis: 'consent',
    consent: 'thirdPartySharing',
    policyText: 'we will not, without clients’/customers’ prior consent, sell any information (such as NPI or PII) to any third parties',
  },
];

/** Marketing purposes an audience may be exported for: each needs the customer's current consent. */
export const MARKETING_PURPOSES = ['newsletter', 'productUpgrades', 'research'] as const satisfies readonly ConsentPurpose[];
export type MarketingPurpose = (typeof MARKETING_PURPOSES)[number];
