// Who may act on whose staff account, and the staff header each role gets (pure).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StaffActor } from '../platform/auth/actor.ts';
import type { StaffRole } from '../platform/db/schema.ts';
import { mayFor, staffHeader } from './navigation.ts';
import {
  actionsFor,
  ADMIN_REFUSAL,
  manageRefusal,
  NO_PERMISSION,
  OTHER_PRACTICE_REFUSAL,
  roleLabel,
  SELF_REFUSAL,
  statusText,
} from './rules.ts';

const actor = (role: StaffRole, practiceOds: string | null, staffId = `${role}-1`): StaffActor => ({
  kind: 'staff',
  staffId,
  email: `${role}@example.test`,
  name: `A ${role}`,
  role,
  practiceOds,
  commissionerCode: null,
});
const target = (role: StaffRole, practice_ods: string | null, id = 'target') => ({ id, role, practice_ods });

test('an administrator may act on anyone but themselves', () => {
  const admin = actor('admin', null);
  for (const t of [target('clinician', 'A1'), target('admin', null), target('facilitator', null)])
    assert.equal(manageRefusal(admin, t), null);
  assert.equal(manageRefusal(admin, target('admin', null, admin.staffId)), SELF_REFUSAL);
});

test('a practice manager may act on their own practice’s staff, never an admin, another practice or themselves', () => {
  const pm = actor('practice-manager', 'A1');
  assert.equal(manageRefusal(pm, target('receptionist', 'A1')), null);
  assert.equal(manageRefusal(pm, target('practice-manager', 'A1')), null);
  assert.equal(manageRefusal(pm, target('clinician', 'B2')), OTHER_PRACTICE_REFUSAL);
  assert.equal(manageRefusal(pm, target('facilitator', null)), OTHER_PRACTICE_REFUSAL);
  assert.equal(manageRefusal(pm, target('admin', null)), ADMIN_REFUSAL);
  assert.equal(manageRefusal(pm, target('practice-manager', 'A1', pm.staffId)), SELF_REFUSAL);
  // A manager with no practice (bad data) manages nobody.
  assert.equal(
    manageRefusal(actor('practice-manager', null), target('clinician', null)),
    OTHER_PRACTICE_REFUSAL,
  );
});

test('other roles may act on nobody', () => {
  for (const role of ['receptionist', 'clinician', 'facilitator', 'commissioner'] as const)
    assert.equal(manageRefusal(actor(role, 'A1'), target('receptionist', 'A1')), NO_PERMISSION);
});

test('the actions offered follow the account’s state; the status is plain English', () => {
  const now = new Date();
  assert.deepEqual(actionsFor({ active: true, locked_at: now, totp_confirmed_at: now }), {
    disable: true,
    enable: false,
    unlock: true,
    resetAuthenticator: true,
  });
  assert.deepEqual(actionsFor({ active: false, locked_at: null, totp_confirmed_at: null }), {
    disable: false,
    enable: true,
    unlock: false,
    resetAuthenticator: false,
  });
  assert.equal(statusText({ active: false, locked_at: now, totp_confirmed_at: now }), 'Disabled');
  assert.match(statusText({ active: true, locked_at: now, totp_confirmed_at: now }), /^Locked/);
  assert.equal(roleLabel('practice-manager'), 'Practice manager');
});

const links = (role: StaffRole, practice: string | null) =>
  staffHeader(actor(role, practice), '/x').items.map((i) => i.href);

test('the staff header has only the links the role may use', () => {
  assert.deepEqual(links('receptionist', 'A1'), [
    '/staff/patients',
    '/staff/appointments',
    '/staff/appointments/setup',
    '/staff/prescriptions',
  ]);
  assert.deepEqual(links('clinician', 'A1'), [
    '/staff/patients',
    '/staff/appointments',
    '/staff/prescriptions',
    '/staff/review',
    '/staff/record-access',
  ]);
  assert.deepEqual(links('practice-manager', 'A1'), [
    '/staff/patients',
    '/staff/appointments',
    '/staff/appointments/setup',
    '/staff/prescriptions',
    '/staff/review',
    '/staff/record-access',
    '/staff/team',
    '/staff/reports/pomi',
  ]);
  assert.deepEqual(links('admin', null), [
    '/admin/users',
    '/admin/practices',
    '/admin/locked-accounts',
    '/programme',
  ]);
  assert.deepEqual(links('facilitator', null), ['/programme']);
  assert.deepEqual(links('commissioner', null), ['/programme']);
  // Practice roles without a practice have no practice pages.
  assert.deepEqual(links('clinician', null), []);
});

test('the header names the person and their role in plain words, and marks the section', () => {
  const h = staffHeader(actor('practice-manager', 'A1'), '/staff/appointments/setup?done=x');
  assert.equal(h.roleLabel, 'Practice manager');
  assert.deepEqual(
    h.items.filter((i) => i.current).map((i) => i.href),
    ['/staff/appointments/setup'],
  );
});

test('may: a clinician may not cancel a session; a receptionist and a practice manager may', () => {
  assert.equal(mayFor(actor('clinician', 'A1')).cancelSession, false);
  assert.equal(mayFor(actor('receptionist', 'A1')).cancelSession, true);
  assert.equal(mayFor(actor('practice-manager', 'A1')).cancelSession, true);
  assert.equal(mayFor(actor('receptionist', 'A1')).reviewRecords, false);
});
