package dev.bulkoffboarding.job;

/**
 * What the operator said about the wipes a run will send. A wipe cannot be undone, so a run that
 * would send any is refused before its first request unless the operator confirmed their number
 * ({@code --confirm-wipes N}, or by typing it when asked), the run confirms them implicitly (the
 * demo, which only ever reaches the built-in sandbox), or {@code offboarding.wipes.require-confirmation}
 * is {@code false} (scheduled imports). A number that was given is always checked.
 *
 * @param expected the number of wipes the operator expects, or {@code null} if none was given
 * @param implicitly why no number is needed, or {@code null}
 */
public record WipeConfirmation(Long expected, String implicitly) {

    private static final WipeConfirmation NONE = new WipeConfirmation(null, null);

    public WipeConfirmation {
        if (expected != null && expected < 0) {
            throw new IllegalArgumentException("the expected number of wipes cannot be negative, was " + expected);
        }
    }

    /** Nothing confirmed: a run that would wipe devices stops before sending and says how many. */
    public static WipeConfirmation none() {
        return NONE;
    }

    /** The operator expects exactly this many wipes; any other number stops the run before sending. */
    public static WipeConfirmation expecting(long count) {
        return new WipeConfirmation(count, null);
    }

    /** No number needed, for the reason given (recorded in the log). */
    public static WipeConfirmation implicitly(String reason) {
        return new WipeConfirmation(null, reason);
    }

}
