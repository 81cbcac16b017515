/**
 * Webhooks: hearing from Quipteams at once. The receiver of signed deliveries ({@code serve}), the
 * secrets that sign them, and the ids of deliveries already applied. What a delivery says is
 * recorded through {@link dev.bulkoffboarding.tracking.TrackedActions}, the same path as polling.
 */
package dev.bulkoffboarding.webhooks;
