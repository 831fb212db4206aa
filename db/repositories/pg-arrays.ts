/**
 * PostgreSQL array literals, sent as one parameter each (`${textArray(xs)}::text[]`): one statement
 * handles many rows without building a placeholder per value.
 */
export const textArray = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

export const idArray = (ids: readonly number[]): string => `{${ids.map((id) => Math.trunc(id)).join(',')}}`;

export const instantArray = (instants: readonly (Date | null)[]): string =>
  `{${instants.map((at) => (at ? at.toISOString() : 'NULL')).join(',')}}`;
