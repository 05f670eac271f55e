// The staff header, one for every staff page: the person's name and role, and only the links
// their role may use, decided by the same permission tables the services check. A hook puts it
// (and `may`, the same answers for buttons) on every reply's locals for the layout.
import type { FastifyInstance } from 'fastify';
import type { StaffActor } from '../platform/auth/actor.ts';
import { can, type Rule } from '../platform/auth/permissions.ts';
import { accountPermissions } from '../accounts/index.ts';
import { appointmentPermissions } from '../appointments/index.ts';
import { prescriptionPermissions } from '../prescriptions/index.ts';
import { practicePermissions } from '../practices/index.ts';
import { programmePermissions } from '../programme/index.ts';
import { recordPermissions } from '../record/index.ts';
import { permissions as staffPermissions } from './permissions.ts';
import { roleLabel } from './rules.ts';

/** A rule checked for the actor at their own practice (the only practice a page of theirs shows). */
const at = (actor: StaffActor, ...rules: Rule[]) => rules.some((r) => can(actor, r, actor.practiceOds));

/** What this staff member may do, by name: for links here and for buttons in any feature's views. */
export function mayFor(actor: StaffActor) {
  const appt = appointmentPermissions;
  return {
    findPatients: at(actor, accountPermissions.findPatients),
    viewBook: at(actor, appt.viewBook),
    setUpAppointments: at(actor, appt.setUp, appt.manageSessions),
    manageSessions: at(actor, appt.manageSessions),
    /** Cancelling a whole session is managing sessions (appointments' cancelSession). */
    cancelSession: at(actor, appt.manageSessions),
    changeAppointmentRules: at(actor, appt.setUp),
    viewPrescriptionQueue: at(actor, prescriptionPermissions.viewQueue),
    changePrescriptionSettings: at(actor, prescriptionPermissions.changeSettings),
    reviewRecords: at(actor, recordPermissions.viewRecord),
    bulkRecordAccess: at(actor, recordPermissions.bulkEnable),
    manageTeam: actor.role === 'practice-manager' && at(actor, staffPermissions.manageTeam),
    manageUsers: at(actor, staffPermissions.manageUsers),
    managePractices: at(actor, practicePermissions.managePractices),
    unlockUnlinkedAccounts: at(actor, accountPermissions.unlockUnlinkedAccount),
    viewProgramme: at(actor, programmePermissions.viewProgramme),
    exportPomi: at(actor, programmePermissions.exportPomi),
  };
}

export type StaffMay = ReturnType<typeof mayFor>;

const LINKS: { href: string; text: string; may: keyof StaffMay }[] = [
  { href: '/staff/patients', text: 'Find a patient', may: 'findPatients' },
  { href: '/staff/appointments', text: 'Appointments', may: 'viewBook' },
  { href: '/staff/appointments/setup', text: 'Appointment set-up', may: 'setUpAppointments' },
  { href: '/staff/prescriptions', text: 'Prescriptions', may: 'viewPrescriptionQueue' },
  { href: '/staff/review', text: 'Record review', may: 'reviewRecords' },
  { href: '/staff/record-access', text: 'Record access', may: 'bulkRecordAccess' },
  { href: '/staff/team', text: 'Your team', may: 'manageTeam' },
  { href: '/staff/reports/pomi', text: 'POMI return', may: 'exportPomi' },
  { href: '/admin/users', text: 'Staff users', may: 'manageUsers' },
  { href: '/admin/practices', text: 'Practices', may: 'managePractices' },
  { href: '/admin/locked-accounts', text: 'Locked patient accounts', may: 'unlockUnlinkedAccounts' },
  { href: '/programme', text: 'Programme', may: 'viewProgramme' },
];

export type StaffHeader = {
  name: string;
  roleLabel: string;
  items: { href: string; text: string; current?: boolean }[];
};

/** The header of every page this staff member sees; `path` marks the section they are in. */
export function staffHeader(actor: StaffActor, path: string): StaffHeader {
  const may = mayFor(actor);
  const items = LINKS.filter((l) => may[l.may]).map(({ href, text }) => ({ href, text }));
  // The section is the longest link the path starts with (set-up is not also "Appointments").
  const current = items
    .filter((i) => path === i.href || path.startsWith(`${i.href}/`) || path.startsWith(`${i.href}?`))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return {
    name: actor.name,
    roleLabel: roleLabel(actor.role),
    items: items.map((i) => (i === current ? { ...i, current: true } : i)),
  };
}

declare module 'fastify' {
  interface FastifyReply {
    locals?: Record<string, unknown>;
  }
}

/** Registered at the root by app.ts, after the platform has found who is asking. */
export function registerStaffHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    const actor = req.actor;
    if (actor?.kind !== 'staff' || !reply.locals) return;
    reply.locals.staffHeader = staffHeader(actor, req.url);
    reply.locals.may = mayFor(actor);
  });
}
