// Reference lookup for one import: `Type/id`, absolute `…/Type/id[/_history/n]`, Bundle
// `fullUrl` (e.g. `urn:uuid:…`) and contained `#id`. Built once, then O(1) per reference.
import { arr, obj, str, type Json } from './util.ts';

export class RefIndex {
  private readonly byKey = new Map<string, Json>();
  private readonly byFullUrl = new Map<string, Json>();

  add(resource: Json, fullUrl: string | null): void {
    const type = str(resource.resourceType);
    const id = str(resource.id);
    if (type !== null && id !== null && !this.byKey.has(`${type}/${id}`))
      this.byKey.set(`${type}/${id}`, resource);
    if (fullUrl !== null) this.byFullUrl.set(fullUrl, resource);
  }

  /** The resource a Reference (or reference string) points at, looking in `container.contained` for `#id`. */
  resolve(reference: unknown, container?: Json): Json | undefined {
    const ref = typeof reference === 'string' ? reference : str(obj(reference)?.reference);
    if (ref === null) return undefined;
    if (ref.startsWith('#')) return containedById(container, ref.slice(1));
    const hit = this.byFullUrl.get(ref) ?? this.byKey.get(ref);
    if (hit !== undefined) return hit;
    const m = /([A-Z][A-Za-z]+)\/([A-Za-z0-9.-]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
    return m === null ? undefined : this.byKey.get(`${m[1] ?? ''}/${m[2] ?? ''}`);
  }

  /** The `Type/id` a reference names: the resolved resource's, else the literal relative reference. */
  key(reference: unknown, container?: Json): string | null {
    const hit = this.resolve(reference, container);
    if (hit !== undefined) return keyOf(hit);
    const ref = str(obj(reference)?.reference);
    return ref !== null && /^[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/.test(ref) ? ref : null;
  }

  /** A person's or organisation's name: the reference's display, else the resolved resource's name. */
  name(reference: unknown, container?: Json): string | null {
    const display = str(obj(reference)?.display);
    if (display !== null) return display;
    const hit = this.resolve(reference, container);
    return hit === undefined ? null : resourceName(hit);
  }
}

function containedById(container: Json | undefined, id: string): Json | undefined {
  for (const c of arr(container?.contained)) {
    const r = obj(c);
    if (r?.id === id) return r;
  }
  return undefined;
}

export function keyOf(resource: Json): string | null {
  const type = str(resource.resourceType);
  const id = str(resource.id);
  return type === null || id === null ? null : `${type}/${id}`;
}

/** Organization/Location name, or a HumanName ("Dr Jane Smith") for Practitioner and the like. */
export function resourceName(resource: Json): string | null {
  const plain = str(resource.name);
  if (plain !== null) return plain;
  const names = arr(resource.name);
  const name = obj(names.find((n) => obj(n)?.use === 'official') ?? names[0]);
  if (name === undefined) return null;
  const text = str(name.text);
  if (text !== null) return text;
  const parts = [...arr(name.prefix), ...arr(name.given), name.family].map(str).filter((p) => p !== null);
  return parts.length > 0 ? parts.join(' ') : null;
}
