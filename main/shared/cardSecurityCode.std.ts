import { z } from 'zod';

/** The card security code (CVV/CVC) is never collected, sent or stored — by any feature. */
export const CARD_SECURITY_CODE_REFUSED =
  'Card security codes (CVV/CVC) are never collected or stored — remove this field from the request';

/** Field names that carry a card security code, in any spelling or case. */
const SECURITY_CODE_KEY = /^(cvv2?|cvc2?|cvn2?|csc|cid|cav2|(card)?[_-]?security[_-]?code|card[_-]?verification[_-]?(value|code))$/i;

export function isCardSecurityCodeKey(key: string): boolean {
  return SECURITY_CODE_KEY.test(key);
}

const refusedSecurityCode = z.never({ error: CARD_SECURITY_CODE_REFUSED }).optional();

/**
 * Spread into every object of a payload that could carry card data. Each common spelling of a security-code
 * field is refused with a message saying why (a plain strict object would only say "unknown field"); any other
 * spelling is still refused as an unknown field. The type only admits `undefined`, so nothing can be sent.
 */
export const NO_CARD_SECURITY_CODE = {
  cvv: refusedSecurityCode,
  cvc: refusedSecurityCode,
  cvv2: refusedSecurityCode,
  cvc2: refusedSecurityCode,
  csc: refusedSecurityCode,
  cid: refusedSecurityCode,
  securityCode: refusedSecurityCode,
  security_code: refusedSecurityCode,
  cardSecurityCode: refusedSecurityCode,
  CVV: refusedSecurityCode,
  CVC: refusedSecurityCode,
};
