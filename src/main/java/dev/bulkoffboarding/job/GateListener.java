package dev.bulkoffboarding.job;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Turns a refusal by the gate into a STOPPED step, which ends the job before submit while keeping
 * it restartable (for instance with a higher invalid-row ratio).
 */
class GateListener implements StepExecutionListener {

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (GateTasklet.REFUSED.equals(stepExecution.getExitStatus().getExitCode())) {
            stepExecution.setStatus(BatchStatus.STOPPED);
        }
        return null;
    }

}
