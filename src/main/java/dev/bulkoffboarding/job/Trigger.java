package dev.bulkoffboarding.job;

/** Who started a run: stored with it, shown in the review UI and in its summary mail. */
public enum Trigger {

    /** A person at the command line. */
    CLI,
    /** serve's nightly inbox (a restart of such a run, too). */
    SCHEDULE,
    /** A file uploaded in the review UI or through the REST API. */
    UPLOAD

}
