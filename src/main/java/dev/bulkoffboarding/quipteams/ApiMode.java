package dev.bulkoffboarding.quipteams;

/**
 * Whether this process talks to Quipteams or to the built-in sandbox (no API key configured).
 *
 * @param sandbox {@code true} when requests go to the in-process sandbox
 */
public record ApiMode(boolean sandbox) {
}
