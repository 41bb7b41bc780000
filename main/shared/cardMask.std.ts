/** How much of a card number a view may show. A full number is only ever shown by `orders.revealCard`. */
export type CardMask = 'none' | 'last4' | 'first6last4';
