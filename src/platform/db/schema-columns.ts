// Column types shared by the table types.
import type { ColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Dates travel as 'YYYY-MM-DD' strings (the pg type parser is set so in db/index.ts). */
export type DateOnly = ColumnType<string, string, string>;
export type Json<T> = ColumnType<T, string, string>;
