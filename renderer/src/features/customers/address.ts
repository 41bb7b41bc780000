/** Street, town (and region), postal code and country, one per line. */
export function addressLines(a: { street: string; city: string; region: string | null; postalCode: string; country: string }): string {
  return [a.street, a.region ? `${a.city}, ${a.region}` : a.city, a.postalCode, a.country].join('\n');
}
