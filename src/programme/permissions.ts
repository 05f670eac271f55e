// Who may use the programme: aggregates only, for programme roles.
import { definePermissions } from '../platform/auth/permissions.ts';

export const permissions = definePermissions({
  viewProgramme: { staff: ['facilitator', 'commissioner', 'admin'], ownPractice: false },
  /** Loading published statistics changes every dashboard: the programme's own leads and admins. */
  importPomi: { staff: ['commissioner', 'admin'], ownPractice: false },
  /** Practice geography (PCNs, list sizes, deprivation) feeds every dashboard, as POMI does. */
  importGeography: { staff: ['commissioner', 'admin'], ownPractice: false },
  /** Dated changes of which practices offer which service, from a facilitator's own checks. */
  recordOfferings: { staff: ['facilitator', 'admin'], ownPractice: false },
  /** The facilitator workspace, for the practices in the user's portfolio (checked in the service). */
  viewWorkspace: { staff: ['facilitator', 'commissioner', 'admin'], ownPractice: false },
  /** Checklists, plans and offering entries: the facilitators who do the work, and admins. */
  updateWorkspace: { staff: ['facilitator', 'admin'], ownPractice: false },
  /** A practice's own POMI return from its live data: the practice manager, who sends it. */
  exportPomi: { staff: ['practice-manager'], ownPractice: true },
});
