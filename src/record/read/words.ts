// A medicine's quantity in the dose form its record gives, never an assumed "tablet".
import { countOf, pluralOf } from '../../platform/words.ts';

const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });

/** Dose forms and units counted one by one (dm+d units of measure); anything else (ml, mg) is shown as recorded. */
const COUNTED = [
  'tablet',
  'capsule',
  'inhaler',
  'sachet',
  'patch',
  'ampoule',
  'vial',
  'pessary',
  'suppository',
  'lozenge',
  'pastille',
  'pen',
  'cartridge',
  'device',
  'pack',
  'dose',
  'unit dose',
  'puff',
  'spray',
  'applicator',
  'enema',
  'bottle',
  'tube',
  'gram',
  'litre',
  'injection',
  'pre-filled disposable injection',
];
const FORMS = new Map(COUNTED.flatMap((f) => [[f, f] as const, [pluralOf(f), f] as const]));

/** "28 tablets", "15 capsules", "1 inhaler", "100 ml"; null when the record gives no quantity. */
export function quantityText(quantity: number | null, unit: string | null): string | null {
  if (quantity === null) return null;
  const u = unit?.trim() ?? '';
  // A bare code (a unit with no display) means nothing to a reader: the number alone.
  if (u === '' || /^\d+$/.test(u)) return number.format(quantity);
  const form = FORMS.get(u.toLowerCase());
  if (form === undefined) return `${number.format(quantity)} ${u}`;
  return countOf(quantity, form);
}
