// `gp-online demo`: loads the demo data set. Idempotent: what exists already is left as it is.
import { randomUUID } from 'node:crypto';
import type { StaffActor } from '../platform/auth/actor.ts';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { loadActor } from '../platform/auth/signin.ts';
import { hashPassword, sealSecret, totpCode, type SecretKey } from '../platform/auth/secrets.ts';
import { audit } from '../platform/audit/use-case.ts';
import type { Clock } from '../platform/clock.ts';
import type { Ctx } from '../platform/context.ts';
import type { Db } from '../platform/db/index.ts';
import type { DemoPanel } from '../platform/http/setup.ts';
import { loadLancashire } from './lancashire.ts';
import { checkPlatformOfferings } from '../programme/index.ts';
import { changeServices, settingsOf, verifyIdentity, addPatient } from '../accounts/index.ts';
import { loadDemoPharmacies } from '../pharmacies/index.ts';
import { addPractice } from '../practices/index.ts';
import { addStaffUser } from '../staff/index.ts';
import { entryIdBySource, importEntries, markRecordReviewed, setEntryVisibility } from '../record/index.ts';
import { generateRecord } from './records.ts';
import * as store from './store.ts';
import { loadDemoAppointments } from './appointments.ts';
import {
  demoPatientRepeats,
  demoQueue,
  demoRepeatState,
  demoSettings,
  medicinesOf,
  mergeRows,
  settingsRow,
} from './prescriptions.ts';
import {
  DEMO_PASSWORD,
  DEMO_PATIENTS,
  DEMO_PRACTICES,
  DEMO_STAFF,
  generatePatients,
  seeded,
} from './data.ts';
import { englandDay } from '../platform/dates.ts';
import { testNhsNumber } from '../platform/nhs-number.ts';

/** Demo accounts with a nominated pharmacy (near their practice, P81082). */
const DEMO_NOMINATIONS: readonly (readonly [string, string])[] = [
  ['full.patient@demo.gp-online.test', 'FDE01'],
  ['detailed.patient@demo.gp-online.test', 'FDE02'],
];

export const DEMO_PATIENT_COUNT = 200;

export type DemoSummary = {
  practices: number;
  staff: number;
  patients: number;
  accounts: number;
  records: number;
  slots: number;
  /** Repeat templates made (issue #11). */
  repeats: number;
  /** Offering changes of the Lancashire 2012-13 scenario recorded (issue #12). */
  offeringChanges: number;
  /** Offering changes of the demo practices found from their settings on GP Online. */
  platformOfferings: number;
};

async function staffActor(db: Db, email: string): Promise<StaffActor> {
  const actor = await loadActor(db, 'staff', await store.staffIdByEmail(db, email));
  if (actor?.kind !== 'staff') throw new Error(`demo staff user ${email} is missing or inactive`);
  return actor;
}

/**
 * Loads the demo data set. With `key`, TOTP secrets are encrypted at rest; tests that load the
 * demo without one leave them as legacy plaintext, which the first sign-in (or the server's
 * start) seals.
 */
export async function loadDemo(db: Db, clock: Clock, key: SecretKey | null = null): Promise<DemoSummary> {
  const ctx = { db, clock, meta: null };
  const added: DemoSummary = {
    practices: 0,
    staff: 0,
    patients: 0,
    accounts: 0,
    records: 0,
    slots: 0,
    repeats: 0,
    offeringChanges: 0,
    platformOfferings: 0,
  };

  for (const p of DEMO_PRACTICES) {
    if (!(await store.practiceExists(db, p.odsCode))) {
      await addPractice(ctx, { kind: 'system' }, p);
      added.practices++;
    }
  }

  for (const s of DEMO_STAFF) {
    if (await store.staffExists(db, s.email)) continue;
    await addStaffUser(
      ctx,
      { kind: 'system' },
      {
        email: s.email,
        name: s.name,
        role: s.role,
        password: DEMO_PASSWORD,
        totpSecret: s.totpSecret,
        practiceOds: s.practiceOds,
        commissionerCode: s.commissionerCode ?? null,
        scopePractices: s.scope,
        trustedPassword: true,
      },
      key,
    );
    added.staff++;
  }

  // Each practice's clinician switches services on, so the history and audit say who did it.
  const clinicians = new Map<string, StaffActor>();
  for (const s of DEMO_STAFF.filter((x) => x.role === 'clinician' && x.practiceOds))
    clinicians.set(s.practiceOds ?? '', await staffActor(db, s.email));

  const today = englandDay(clock.now());
  const rand = seeded(42);
  const people = generatePatients(DEMO_PATIENT_COUNT, today);
  const firstPractice: string[] = [];
  /** The generated patients other than the demo accounts' (the queues come from them). */
  const others: string[] = [];
  for (const [i, person] of people.entries()) {
    const practice = DEMO_PRACTICES[i < 8 ? 0 : i % DEMO_PRACTICES.length] ?? DEMO_PRACTICES[0];
    if (!practice) continue;
    const nhsNumber = testNhsNumber(person.seed);
    let patientId = await store.patientIdByNhsNumber(db, nhsNumber);
    const roll = rand();
    if (!patientId) {
      patientId = (
        await addPatient(
          ctx,
          { kind: 'system' },
          {
            practiceOds: practice.odsCode,
            nhsNumber,
            givenName: person.givenName,
            familyName: person.familyName,
            birthDate: person.birthDate,
            sex: person.sex,
            addressLines: person.addressLines,
            postcode: practice.postcode,
          },
        )
      ).patientId;
      added.patients++;
      const clinician = clinicians.get(practice.odsCode);
      const demoAccount = i < 8 ? DEMO_PATIENTS.find((d) => d.patientIndex === i) : undefined;
      const services = demoAccount?.services ?? {
        appointments: roll < 0.7,
        repeatPrescriptions: roll < 0.55,
        recordLevel:
          roll < 0.15
            ? ('full' as const)
            : roll < 0.3
              ? ('detailed' as const)
              : roll < 0.5
                ? ('summary' as const)
                : ('none' as const),
      };
      if (
        clinician &&
        (services.appointments || services.repeatPrescriptions || services.recordLevel !== 'none')
      ) {
        // Older records (an earlier start date, historic access) come once the record is loaded
        // and the GP has reviewed it (below).
        await changeServices(ctx, clinician, patientId, {
          ...services,
          historicAccess: false,
          prospectiveFrom: undefined,
          pharmacyView: services.repeatPrescriptions,
          pharmacyUpdate: services.repeatPrescriptions,
          expectedVersion: 0,
          reason: 'Demo data',
        });
      }
    }
    if (practice.odsCode === DEMO_PRACTICES[0]?.odsCode) firstPractice.push(patientId);
    if (i >= 8) others.push(patientId);
  }

  const receptionist = await staffActor(db, DEMO_STAFF[0]?.email ?? '');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const a of DEMO_PATIENTS) {
    if (await store.accountExists(db, a.email)) continue;
    const patientId = a.patientIndex === null ? null : (firstPractice[a.patientIndex] ?? null);
    const now = clock.now();
    const id = randomUUID();
    const practiceOds = patientId ? (DEMO_PRACTICES[0]?.odsCode ?? null) : null;
    await db.transaction().execute(async (tx) => {
      await store.insertAccount(tx, {
        id,
        email: a.email,
        password_hash: passwordHash,
        totp_secret: key ? sealSecret(key, a.totpSecret) : a.totpSecret,
        totp_confirmed_at: now,
        email_confirmed_at: now,
        proofing_level: a.proofing === 'P9' ? 'P5' : a.proofing,
        patient_id: patientId,
        practice_ods: practiceOds,
        linked_at: patientId ? now : null,
      });
      await audit(tx, ctx, SYSTEM_ACTOR, {
        action: 'demo.account-created',
        practiceOds,
        patientId,
        subject: `account:${id}`,
      });
    });
    if (patientId && a.proofing === 'P9') {
      await verifyIdentity(ctx, receptionist, patientId, {
        method: 'photo-documents',
        evidence: 'Demo: UK passport and council tax bill seen at reception',
      });
    }
    added.accounts++;
  }

  // GP records for the demo patients, with one consultation hidden online by the GP.
  const gp = clinicians.get(DEMO_PRACTICES[0]?.odsCode ?? '');
  for (const [i, a] of DEMO_PATIENTS.entries()) {
    const patientId = a.patientIndex === null ? null : (firstPractice[a.patientIndex] ?? null);
    if (!patientId || a.recordYears === 0) continue;
    const practiceOds = DEMO_PRACTICES[0]?.odsCode ?? '';
    if (await store.hasRecordEntries(db, patientId)) continue;
    const record = generateRecord(1000 + i, {
      today,
      years: a.recordYears,
      consultationsPerYear: 6,
      documentsPerYear: 2,
      prefix: `demo-${a.email}`,
    });
    await importEntries(ctx, { kind: 'system' }, { practiceOds, patientId, entries: record.entries });
    for (const source of record.hiddenSources) {
      const id = await entryIdBySource(ctx, {
        practiceOds,
        patientId,
        source: { system: 'demo', id: source },
      });
      if (id && gp)
        await setEntryVisibility(ctx, gp, {
          patientId,
          entryId: id,
          visible: false,
          reason: 'third-party',
          note: 'Demo: mentions a family member',
        });
    }
    // Older records only after the GP has reviewed the whole record: the demo's access began
    // on the national go-live date, and one patient has historic access too.
    if (gp && (a.services.prospectiveFrom || a.services.historicAccess)) {
      await markRecordReviewed(ctx, gp, patientId, 'whole-record');
      const { version } = await settingsOf(db, practiceOds, patientId);
      await changeServices(ctx, gp, patientId, {
        prospectiveFrom: a.services.prospectiveFrom,
        historicAccess: a.services.historicAccess ?? false,
        expectedVersion: version,
        reason: 'Demo: whole record reviewed before giving older records',
      });
    }
    added.records++;
  }
  for (const p of DEMO_PRACTICES) added.slots += await loadDemoAppointments(db, clock, p.odsCode);

  // Pharmacies near each demo practice; the full and detailed accounts have nominated one.
  await loadDemoPharmacies(db, clock);
  for (const [email, pharmacy] of DEMO_NOMINATIONS) {
    const a = DEMO_PATIENTS.find((d) => d.email === email);
    const patientId = a?.patientIndex == null ? undefined : firstPractice[a.patientIndex];
    if (patientId) await store.nominateOnce(db, { patientId, pharmacyOds: pharmacy, at: clock.now() });
  }

  // Repeat prescriptions: the demo accounts' repeats from their records, in every state, and a
  // queue waiting at each practice from its eight oldest other patients. The accounts are all at the
  // first practice.
  const accounts = [];
  for (const a of DEMO_PATIENTS) {
    const patientId = a.patientIndex === null ? undefined : firstPractice[a.patientIndex];
    if (a.patientIndex === null || !patientId || a.recordYears === 0) continue;
    accounts.push({
      patientIndex: a.patientIndex,
      patientId,
      accountId: await store.accountIdByEmail(db, a.email),
    });
  }
  for (const p of DEMO_PRACTICES) {
    added.repeats += await loadDemoPrescriptions(ctx, {
      practiceOds: p.odsCode,
      prescriber: clinicians.get(p.odsCode),
      accounts: p.odsCode === DEMO_PRACTICES[0]?.odsCode ? accounts : [],
      // The eight oldest, as the database has them (two generated people can share a test NHS
      // number, and so one patient): they are the ones on these medicines.
      queue: await store.oldestOf(db, p.odsCode, others, 8),
    });
  }
  added.offeringChanges = (await loadLancashire(ctx)).changes;
  // Slot types the demo wrote directly: the demo practices' own offerings, as the daily check finds them.
  added.platformOfferings = (await checkPlatformOfferings(ctx)).changes;
  return added;
}

/** A practice's demo prescriptions, once: its settings row, written last, says they are loaded. */
async function loadDemoPrescriptions(
  ctx: Ctx,
  o: {
    practiceOds: string;
    prescriber: StaffActor | undefined;
    accounts: { patientIndex: number; patientId: string; accountId: string | null }[];
    queue: string[];
  },
): Promise<number> {
  if (!o.prescriber || (await store.hasPrescriptionSettings(ctx.db, o.practiceOds))) return 0;
  const now = ctx.clock.now();
  const b = {
    practiceOds: o.practiceOds,
    prescriber: { id: o.prescriber.staffId, name: o.prescriber.name },
    now,
    id: randomUUID,
  };
  // A patient who has templates already (made by staff) is left as they are.
  const taken = await store.patientsWithTemplates(ctx.db, [
    ...o.accounts.map((a) => a.patientId),
    ...o.queue,
  ]);
  const parts = [];
  for (const a of o.accounts.filter((x) => !taken.has(x.patientId))) {
    const { repeats, acute } = medicinesOf(await store.medicationEntries(ctx.db, a.patientId));
    parts.push(
      demoPatientRepeats(
        { ...b, window: demoSettings(o.practiceOds).window },
        {
          patientId: a.patientId,
          accountId: a.accountId,
          repeats: repeats.map((medicine, i) => ({ medicine, state: demoRepeatState(a.patientIndex, i) })),
          acute,
        },
      ),
    );
  }
  parts.push(
    demoQueue(
      b,
      o.queue.filter((id) => !taken.has(id)),
    ),
  );
  const rows = mergeRows(...parts);
  await ctx.db.transaction().execute(async (tx) => {
    await store.insertPrescriptions(tx, rows, settingsRow(o.practiceOds, now));
    await audit(tx, ctx, SYSTEM_ACTOR, {
      action: 'demo.prescriptions-created',
      practiceOds: o.practiceOds,
      subject: 'prescriptions',
      details: { templates: rows.templates.length, items: rows.items.length },
    });
  });
  return rows.templates.length;
}

/** The demo panel: every demo sign-in with its current security code. */
export function demoPanel(now: Date): Promise<DemoPanel> {
  const accounts = [
    ...DEMO_PATIENTS.map((a) => ({ who: a.who, email: a.email, code: totpCode(a.totpSecret, now) })),
    ...DEMO_STAFF.map((s) => ({
      who: `${s.name}, ${s.role}${s.practiceOds ? ` at ${s.practiceOds}` : ''}`,
      email: s.email,
      code: totpCode(s.totpSecret, now),
    })),
  ];
  return Promise.resolve({ password: DEMO_PASSWORD, accounts });
}

/** True when the database has no practices yet: `npm start` then loads the demo. */
export async function isEmpty(db: Db): Promise<boolean> {
  return !(await store.anyPractice(db));
}
