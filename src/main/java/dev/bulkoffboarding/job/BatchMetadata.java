package dev.bulkoffboarding.job;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes what Spring Batch's job repository keeps about a pruned run. Its execution contexts,
 * parameters and step executions go: they hold the input file's path (often a person's name or a
 * date), refusal messages and stack traces that quote rows. What a completed run leaves is its
 * job instance (the job's name and the hash of its identifying parameters) and its executions'
 * statuses and times, with no message: enough for the job repository to go on refusing to run
 * that file again, which is what keeps an old spreadsheet from offboarding its people twice.
 * Everything of any other run goes.
 */
@Component
class BatchMetadata {

    private static final String EXECUTIONS =
            "select JOB_EXECUTION_ID from BATCH_JOB_EXECUTION where JOB_INSTANCE_ID = ?";

    private final JdbcTemplate jdbc;

    BatchMetadata(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param instanceId the run's job instance
     * @param keepCompletedInstance keep the instance and its executions' statuses (a completed run)
     */
    void prune(long instanceId, boolean keepCompletedInstance) {
        this.jdbc.update("delete from BATCH_STEP_EXECUTION_CONTEXT where STEP_EXECUTION_ID in "
                + "(select STEP_EXECUTION_ID from BATCH_STEP_EXECUTION where JOB_EXECUTION_ID in (" + EXECUTIONS + "))", instanceId);
        this.jdbc.update("delete from BATCH_STEP_EXECUTION where JOB_EXECUTION_ID in (" + EXECUTIONS + ")", instanceId);
        this.jdbc.update("delete from BATCH_JOB_EXECUTION_CONTEXT where JOB_EXECUTION_ID in (" + EXECUTIONS + ")",
                instanceId);
        this.jdbc.update("delete from BATCH_JOB_EXECUTION_PARAMS where JOB_EXECUTION_ID in (" + EXECUTIONS + ")",
                instanceId);
        if (keepCompletedInstance) {
            this.jdbc.update("update BATCH_JOB_EXECUTION set EXIT_MESSAGE = '' where JOB_INSTANCE_ID = ?", instanceId);
        }
        else {
            this.jdbc.update("delete from BATCH_JOB_EXECUTION where JOB_INSTANCE_ID = ?", instanceId);
            this.jdbc.update("delete from BATCH_JOB_INSTANCE where JOB_INSTANCE_ID = ?", instanceId);
        }
    }

}
