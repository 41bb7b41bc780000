/**
 * Marketing preferences and third-party sharing. Every purpose is off until the customer consents
 * (policy: "we will not, without clients'/customers' prior consent, sell any information ... to any third parties").
 */
export const CONSENT_PURPOSES = ['newsletter', 'productUpgrades', 'research', 'thirdPartySharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  newsletter: 'Newsletters',
  productUpgrades: 'Product upgrades and new products',
  research: 'Research on future product ideas',
  thirdPartySharing: 'Sharing with third parties',
};

/** How the consent (or its withdrawal) reached iTechno. `import` is only written by the CSV import. */
export const CONSENT_CHANNELS = ['order_form', 'web_form', 'email', 'phone', 'in_person', 'paper_form', 'import'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const STAFF_CONSENT_CHANNELS = ['order_form', 'web_form', 'email', 'phone', 'in_person', 'paper_form'] as const;

/** Purposes a CSV import may set. Third-party sharing is never taken from a legacy list: the customer must give it. */
export const IMPORTABLE_CONSENTS = ['newsletter', 'productUpgrades', 'research'] as const satisfies readonly ConsentPurpose[];
