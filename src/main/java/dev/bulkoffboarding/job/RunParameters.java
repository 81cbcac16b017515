package dev.bulkoffboarding.job;

/**
 * Names of the job parameters. Only the file's hash and the optional label identify a run; the
 * rest are non-identifying, so a restart may come from another path or with another option. No
 * secret is ever a job parameter.
 */
final class RunParameters {

    static final String SHA256 = "input.sha256";

    static final String LABEL = "run.label";

    static final String FILE = "input.file";

    static final String TRIGGER = "run.trigger";

    static final String DEDUP = "run.dedup";

    static final String CANARY = "run.canary";

    static final String REQUESTED_AT = "validate.requested-at";

    /** The number of wipes the operator confirmed; -1 when none was given. */
    static final String CONFIRMED_WIPES = "run.confirmed-wipes";

    /** Why the run needs no confirmed number of wipes (the demo), when it does not. */
    static final String WIPES_CONFIRMED_IMPLICITLY = "run.wipes-confirmed-implicitly";

    /** Who started the run: the logged-in user of an upload, the account of a command line. */
    static final String STARTED_BY = "run.started-by";

    private RunParameters() {
    }

    /** Whether the run checks its devices with the vendor before sending (non-identifying). */
    static final String PREFLIGHT = "run.preflight";

}
