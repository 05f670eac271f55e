// Encounter → 'consultation'; DocumentReference → 'document'.
import { buildEntry, type MapContext, type MapOutcome } from './entry.ts';
import { attachmentText } from './results.ts';
import {
  arr,
  codedText,
  conceptDisplay,
  conceptText,
  first,
  labelled,
  obj,
  str,
  typedOnly,
  type Json,
} from './util.ts';

export function mapEncounter(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error' || r.status === 'cancelled') return { skip: `Encounter (${r.status})` };
  const type = first(r.type);
  return buildEntry(r, ctx, {
    kind: 'consultation',
    details: {
      kind: 'consultation',
      clinician: clinicianOf(r, ctx),
      location: ctx.index.name(first(r.location)?.location, r) ?? ctx.index.name(r.serviceProvider, r),
      consultationType: codedText(type),
    },
    extraText: [labelled('Type', typedOnly(type))],
    concept: type,
    conceptField: 'Encounter.type',
    required: false,
    title: conceptDisplay(type) ?? str(obj(r.class)?.display),
    fallbackTitle: 'Consultation',
    clinical: [['Encounter.period.start', obj(r.period)?.start]],
    recorded: [],
    draft: r.status === 'unknown' || r.status === 'in-progress',
  });
}

function clinicianOf(r: Json, ctx: MapContext): string | null {
  for (const p of arr(r.participant)) {
    const name = ctx.index.name(obj(p)?.individual, r);
    if (name !== null) return name;
  }
  return null;
}

export function mapDocumentReference(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error') return { skip: 'DocumentReference (entered-in-error)' };
  const attachment = obj(first(r.content)?.attachment);
  return buildEntry(r, ctx, {
    kind: 'document',
    details: {
      kind: 'document',
      author: ctx.index.name(first(r.author), r),
      contentType: str(attachment?.contentType),
      content: attachmentText(attachment),
      documentType: conceptDisplay(r.type),
    },
    concept: r.type,
    conceptField: 'DocumentReference.type',
    required: false,
    title: str(r.description) ?? conceptText(r.type) ?? str(attachment?.title),
    fallbackTitle: 'Document',
    clinical: [['DocumentReference.date', r.date]],
    recorded: [],
    unreviewed: r.docStatus === 'preliminary',
  });
}
