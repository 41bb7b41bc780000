import type { CustomerDetails } from '../../main/features/customers/customerFields.std.ts';
import type { OrderInput } from '../../main/features/orders/orderService.node.ts';

/** Deterministic synthetic customers and orders for the benchmark (mulberry32, fixed seed). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYL = ['an', 'ber', 'cor', 'dal', 'el', 'fin', 'gar', 'hol', 'is', 'jor', 'kel', 'lin', 'mor', 'nor', 'ost', 'per', 'quin', 'ros', 'sten', 'tor', 'ul', 'ven', 'wes', 'yar', 'zel'];
const ACCENTED = ['Müller', 'Åkesson', 'Núñez', 'Łukasz', 'Dvořák', 'Ó Briain', 'García', 'Søndergaard'];
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export interface Pools {
  given: string[];
  family: string[];
  cities: string[];
  postcodes: string[];
}

export function pools(rand: () => number): Pools {
  const word = (n: number) => cap(Array.from({ length: n }, () => SYL[Math.floor(rand() * SYL.length)]).join(''));
  const given = Array.from({ length: 400 }, () => word(2));
  // ~5,000 family names: at 100k customers a family-name search matches ~20 rows, at 1M ~200 (capped at 50).
  const family = [...ACCENTED, ...Array.from({ length: 5000 - ACCENTED.length }, () => word(2 + Math.floor(rand() * 2)))];
  const cities = Array.from({ length: 500 }, () => word(2));
  const L = 'ABCDEFGHJKLMNPRSTUWYZ';
  const letter = () => L[Math.floor(rand() * L.length)];
  // ~20,000 postcodes: ~5 customers each at 100k, ~50 at 1M.
  const postcodes = Array.from({ length: 20_000 }, () => `${letter()}${letter()}${1 + Math.floor(rand() * 99)} ${Math.floor(rand() * 10)}${letter()}${letter()}`);
  return { given, family, cities, postcodes };
}

function luhnComplete(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i += 1) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

export function customerAt(i: number, p: Pools, rand: () => number): CustomerDetails {
  const given = p.given[Math.floor(rand() * p.given.length)]!;
  const family = p.family[Math.floor(rand() * p.family.length)]!;
  const year = 1940 + Math.floor(rand() * 60);
  return {
    kind: 'person',
    givenName: given,
    familyName: family,
    email: `${given}.${family.replace(/\s+/g, '')}.${i}@example.com`.toLowerCase(),
    phone: `+44 7${String(100_000_000 + i).slice(1)}`,
    shippingAddress: {
      street: `${1 + Math.floor(rand() * 300)} ${p.family[Math.floor(rand() * p.family.length)]} Road`,
      city: p.cities[Math.floor(rand() * p.cities.length)]!,
      region: undefined,
      postalCode: p.postcodes[Math.floor(rand() * p.postcodes.length)]!,
      country: 'GB',
    },
    dateOfBirth: `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
  };
}

export function orderFor(details: CustomerDetails, rand: () => number): Omit<OrderInput, 'customerId'> {
  const digits = `4${Array.from({ length: 14 }, () => Math.floor(rand() * 10)).join('')}`;
  const items: OrderInput['items'] = [{ sku: 'ITP-SUITE', name: 'iTechno Suite licence', kind: 'licence', quantity: 1 + Math.floor(rand() * 5) }];
  if (rand() < 0.5) items.push({ sku: 'ITP-USB', name: 'Installation USB key', kind: 'product', quantity: 1 });
  return {
    items,
    billing: { name: `${details.givenName} ${details.familyName}`, address: details.shippingAddress },
    card: { number: luhnComplete(digits), expiryMonth: 1 + Math.floor(rand() * 12), expiryYear: new Date().getUTCFullYear() + 1 + Math.floor(rand() * 4) },
  };
}
