const MAX_LENGTH = 300;

/**
 * An error as one short line for the log (and the outbox's last error). A failed database query carries
 * its SQL and its parameters in its message (drizzle's "Failed query: ... params: ..."), and those
 * parameters are report text: only the driver's own reason is kept.
 */
export const errorText = (error: unknown): string => {
  if (!(error instanceof Error))
    return typeof error === 'string' ? error.slice(0, MAX_LENGTH) : 'unknown error';
  const isQueryError = ('query' in error && 'params' in error) || error.message.startsWith('Failed query:');
  if (isQueryError) {
    const cause = error.cause instanceof Error ? error.cause.message : 'no reason given';
    return `database query failed: ${cause}`.slice(0, MAX_LENGTH);
  }
  return error.message.slice(0, MAX_LENGTH);
};
