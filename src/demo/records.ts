// Made-up GP records for the demo and the benchmark: long-term conditions, repeat medicines,
// consultations with notes and coded entries, results, measurements, vaccinations and letters.
// Codes are real SNOMED CT / dm+d concepts; the people and events are invented.
import type { Coding, EntryDraft, MedicationDetails } from '../record/index.ts';
import {
  ACUTES,
  dmd,
  METFORMIN_CODE,
  METFORMIN_FIRST,
  REASONS,
  REPEATS,
  sct,
  type DemoMedicine,
} from './record-codes.ts';
import { takenAt } from './record-results.ts';
import type { Course } from './trajectories.ts';
import { seeded } from './data.ts';
import { englandDay } from '../platform/dates.ts';

export type GeneratedRecord = { entries: EntryDraft[]; hiddenSources: string[] };

function iso(d: Date): string {
  return d.toISOString();
}

/**
 * A record of `years` up to `today`. `consultationsPerYear` and `documentsPerYear` set its size:
 * 24 and 8 over 25 years give about 600 consultations, 200 letters and over 5,000 coded entries.
 */
export function generateRecord(
  seed: number,
  opts: {
    today: string;
    years: number;
    consultationsPerYear: number;
    documentsPerYear: number;
    prefix?: string;
  },
): GeneratedRecord {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const end = new Date(`${opts.today}T12:00:00Z`).getTime();
  const start = end - opts.years * 365.25 * 86_400_000;
  const p = opts.prefix ?? `demo-${String(seed)}`;
  const entries: EntryDraft[] = [];
  let n = 0;
  const id = (kind: string) => `${p}/${kind}/${String(++n)}`;
  const base = (
    kind: EntryDraft['kind'],
    at: Date,
    title: string,
    coding: Coding[],
    details: EntryDraft['details'],
    extra: Partial<EntryDraft> = {},
  ): EntryDraft => ({
    kind,
    source: { system: 'demo', id: id(kind) },
    clinicalDate: iso(at).slice(0, 10),
    recordedAt: iso(at),
    coding,
    title,
    text: null,
    consultationSource: null,
    draft: false,
    unfiled: false,
    unreviewed: false,
    details,
    ...extra,
  });

  // Long-term conditions, recorded years ago.
  const onset = new Date(start + 86_400_000 * 30);
  entries.push(
    base('problem', onset, 'Essential hypertension', sct('59621000', 'Essential hypertension'), {
      kind: 'problem',
      clinicalStatus: 'active',
      significance: 'major',
      onset: iso(onset).slice(0, 10),
      abatement: null,
    }),
  );
  entries.push(
    base('problem', onset, 'Asthma', sct('195967001', 'Asthma'), {
      kind: 'problem',
      clinicalStatus: 'active',
      significance: 'minor',
      onset: iso(onset).slice(0, 10),
      abatement: null,
    }),
  );
  const t2 = new Date(start + (end - start) * 0.6);
  entries.push(
    base('problem', t2, 'Type 2 diabetes mellitus', sct('44054006', 'Type 2 diabetes mellitus'), {
      kind: 'problem',
      clinicalStatus: 'active',
      significance: 'major',
      onset: iso(t2).slice(0, 10),
      abatement: null,
    }),
  );
  entries.push(
    base('allergy', onset, 'Penicillin allergy', sct('91936005', 'Allergy to penicillin'), {
      kind: 'allergy',
      category: 'medication',
      type: 'allergy',
      criticality: 'high',
      reactions: ['Rash', 'Swollen lips'],
      active: true,
    }),
  );

  // Repeat medicines: current ones authorised about a year ago. Metformin began earlier at a
  // lower dose; the results follow these dates (trajectories.ts).
  const authorised = REPEATS.map((m) => ({
    m,
    at: new Date(end - 300 * 86_400_000 - rand() * 60 * 86_400_000),
  }));
  const increase = authorised.find((a) => a.m.code === METFORMIN_CODE)?.at.getTime() ?? end;
  const course: Course = {
    start,
    end,
    diagnosis: t2.getTime(),
    metforminStart: Math.max(
      t2.getTime() + 60 * 86_400_000,
      Math.min(start + (end - start) * 0.72, increase - 180 * 86_400_000),
    ),
    metforminIncrease: increase,
    statinStart: t2.getTime() + 30 * 86_400_000,
    bloodPressureTreatment: onset.getTime() + 60 * 86_400_000,
  };
  const medicine = (m: DemoMedicine, at: Date, d: Partial<MedicationDetails>): EntryDraft =>
    base('medication', at, m.name, dmd(m.code, m.name), {
      kind: 'medication',
      prescriptionType: 'repeat',
      status: 'current',
      dosage: m.dosage,
      quantity: m.quantity,
      quantityUnit: m.form,
      issuesAuthorised: null,
      issuesDone: null,
      reviewDate: null,
      lastIssued: null,
      ...d,
    });
  entries.push(
    medicine(METFORMIN_FIRST, new Date(course.metforminStart), {
      status: 'past',
      lastIssued: englandDay(new Date(increase - 20 * 86_400_000)),
    }),
  );
  for (const { m, at } of authorised) {
    entries.push(
      medicine(m, at, {
        issuesAuthorised: 12,
        issuesDone: Math.floor(rand() * 12),
        reviewDate: englandDay(new Date(end + 60 * 86_400_000)),
        lastIssued: englandDay(new Date(end - 20 * 86_400_000)),
      }),
    );
  }

  // Consultations, each with coded entries made in it.
  const total = Math.round(opts.years * opts.consultationsPerYear);
  for (let i = 0; i < total; i++) {
    const at = new Date(start + ((end - start) * (i + rand())) / total);
    at.setUTCHours(8 + Math.floor(rand() * 9), Math.floor(rand() * 60), 0, 0);
    const reason = pick(REASONS);
    const consultation = base(
      'consultation',
      at,
      reason,
      sct('185317003', 'Telephone encounter'),
      {
        kind: 'consultation',
        clinician: pick(['Dr Gina Patel', 'Dr Sam Okafor', 'Nurse Jo Lee']),
        location: 'The surgery',
        consultationType: pick(['Face to face', 'Telephone']),
      },
      {
        text: `Patient seen about ${reason.toLowerCase()}. History taken and examined. Plan discussed and agreed; safety-netting advice given.`,
      },
    );
    entries.push(consultation);
    const inIt = (e: EntryDraft): EntryDraft => ({
      ...e,
      consultationSource: consultation.source?.id ?? null,
    });
    for (const m of takenAt(at, course, rand))
      entries.push(inIt(base(m.kind, at, m.title, m.coding, m.details)));
    entries.push(
      inIt(
        base('procedure', at, 'Medication review', sct('182836005', 'Review of medication'), {
          kind: 'procedure',
          status: 'completed',
          performer: null,
        }),
      ),
    );
    if (rand() < 0.35) {
      const m = pick(ACUTES);
      entries.push(
        inIt(
          medicine(m, at, {
            prescriptionType: 'acute',
            status: 'past',
            lastIssued: iso(at).slice(0, 10),
          }),
        ),
      );
    }
    if (at.getUTCMonth() === 9 || rand() < 0.05) {
      entries.push(
        inIt(
          base('immunisation', at, 'Influenza vaccination', sct('86198006', 'Influenza vaccination'), {
            kind: 'immunisation',
            doseNumber: null,
            site: 'Left upper arm',
            status: 'completed',
          }),
        ),
      );
    }
    if (rand() < 0.05) {
      entries.push(
        inIt(
          base(
            'referral',
            at,
            'Referral to physiotherapy service',
            sct('306137004', 'Referral to physiotherapist'),
            {
              kind: 'referral',
              status: 'completed',
              priority: 'routine',
              recipient: 'Community physiotherapy',
            },
          ),
        ),
      );
    }
  }

  // Letters from hospital and other services.
  const docs = Math.round(opts.years * opts.documentsPerYear);
  for (let i = 0; i < docs; i++) {
    const at = new Date(start + ((end - start) * (i + rand())) / docs);
    const clinic = pick(['Cardiology clinic', 'Diabetes clinic', 'Respiratory clinic', 'Physiotherapy']);
    entries.push(
      base('document', at, `Letter from ${clinic}`, sct('371525003', 'Clinical procedure report'), {
        kind: 'document',
        author: clinic,
        contentType: 'text/plain',
        content: `Dear Doctor,\n\nThank you for referring this patient to the ${clinic.toLowerCase()}. We reviewed them today and have made no changes to their treatment. We will see them again in six months.\n\nYours sincerely`,
        documentType: 'Outpatient letter',
      }),
    );
  }

  // Recent items the practice has not finished with: never shown online.
  const recent = new Date(end - 2 * 86_400_000);
  entries.push(
    base(
      'consultation',
      recent,
      'Telephone call (notes not finished)',
      sct('185317003', 'Telephone encounter'),
      { kind: 'consultation', clinician: 'Dr Gina Patel', location: null, consultationType: 'Telephone' },
      { draft: true, text: 'Draft: awaiting results before completing these notes.' },
    ),
  );
  entries.push(
    base(
      'result',
      recent,
      'Serum potassium level',
      sct('1000651000000109', 'Serum potassium level'),
      {
        kind: 'result',
        measurement: {
          value: 5.9,
          valueText: null,
          unit: 'mmol/L',
          low: 3.5,
          high: 5.3,
          interpretation: 'H',
        },
        components: [],
        reportId: null,
        category: 'laboratory',
      },
      { unfiled: true },
    ),
  );
  entries.push(
    base(
      'document',
      recent,
      'Discharge summary (awaiting review)',
      sct('373942005', 'Discharge summary'),
      {
        kind: 'document',
        author: 'Royal Preston Hospital',
        contentType: 'text/plain',
        content: 'Discharge summary awaiting GP review.',
        documentType: 'Discharge summary',
      },
      { unreviewed: true },
    ),
  );

  // One consultation about someone else, which the practice hides online (third-party information).
  const tp = new Date(end - 200 * 86_400_000);
  const hidden = base(
    'consultation',
    tp,
    'Consultation',
    sct('185317003', 'Telephone encounter'),
    {
      kind: 'consultation',
      clinician: 'Dr Sam Okafor',
      location: 'The surgery',
      consultationType: 'Face to face',
    },
    {
      text: 'Discussed concerns raised by a family member about their own health (third-party information).',
    },
  );
  entries.push(hidden);
  return { entries, hiddenSources: hidden.source ? [hidden.source.id] : [] };
}
