/**
 * The Quipteams client: the wire format of device actions, pacing per API key, retries, and the
 * reconciliation that keeps an ambiguous create from becoming a second device action.
 *
 * <p>This package talks HTTP to the vendor and knows nothing of Spring Batch or the database: the
 * caller hands it {@link dev.bulkoffboarding.quipteams.Submission}s and persists the
 * {@link dev.bulkoffboarding.quipteams.SubmissionResult}s it returns.
 *
 * <p>{@link dev.bulkoffboarding.quipteams.ApiConfiguration} decides where requests go: Quipteams
 * when an API key is configured, else the in-process sandbox
 * ({@link dev.bulkoffboarding.quipteams.ApiMode}).
 */
package dev.bulkoffboarding.quipteams;
