// What every use case needs besides the actor: the database, the clock, and where the request came from.
import type { RequestMeta } from './audit/audit.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/index.ts';

export type Ctx = { db: Db; clock: Clock; meta: RequestMeta | null };
