package dev.bulkoffboarding.job;

import dev.bulkoffboarding.rows.Ledger;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Makes staging restartable by starting over: what an interrupted stage wrote is forgotten first
 * (nothing can have been sent, since submit comes after the gate).
 */
class StageListener implements StepExecutionListener {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Ledger ledger;

    private final StagedRowReader reader;

    StageListener(Ledger ledger, StagedRowReader reader) {
        this.ledger = ledger;
        this.reader = reader;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.ledger.deleteRows(stepExecution.getJobExecution().getJobInstanceId());
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getFailureExceptions().isEmpty()) {
            this.ledger.recordStaged(stepExecution.getJobExecution().getJobInstanceId(),
                    JSON.writeValueAsString(this.reader.headers()), stepExecution.getWriteCount());
        }
        return null;
    }

}
