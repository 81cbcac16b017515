package dev.bulkoffboarding.job;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import dev.bulkoffboarding.quipteams.ApiMode;
import dev.bulkoffboarding.report.ReportWriter;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RunRecord;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Registers the run in the ledger when an execution starts, and writes its reports when it ends,
 * whatever the outcome: a failed run needs its report most.
 */
@Component
class RunListener implements JobExecutionListener {

    private static final Log logger = LogFactory.getLog(RunListener.class);

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Ledger ledger;

    private final RunSummaries summaries;

    private final ReportWriter reportWriter;

    private final OffboardingProperties properties;

    private final ApiMode apiMode;

    private final JsonMapper json;

    private final Clock clock;

    RunListener(Ledger ledger, RunSummaries summaries, ReportWriter reportWriter, OffboardingProperties properties,
            ApiMode apiMode, JsonMapper json, Clock clock) {
        this.ledger = ledger;
        this.summaries = summaries;
        this.reportWriter = reportWriter;
        this.properties = properties;
        this.apiMode = apiMode;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        var parameters = jobExecution.getJobParameters();
        boolean validation = OffboardingJobConfiguration.VALIDATION_JOB.equals(jobExecution.getJobInstance().getJobName());
        String trigger = parameters.getString(RunParameters.TRIGGER);
        this.ledger.createRunIfAbsent(new RunRecord(jobExecution.getJobInstanceId(),
                validation ? RunRecord.RunKind.VALIDATE : RunRecord.RunKind.RUN,
                Path.of(parameters.getString(RunParameters.FILE)).getFileName().toString(),
                parameters.getString(RunParameters.SHA256), parameters.getString(RunParameters.LABEL),
                (trigger != null) ? trigger : "CLI", !validation && this.apiMode.sandbox(), null, null, null,
                this.clock.instant()));
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        long runId = jobExecution.getJobInstanceId();
        try {
            RunRecord run = this.ledger.findRun(runId).orElseThrow();
            if (run.headers() == null) {
                // The file could not be staged (bad input): there is nothing to report row by row.
                return;
            }
            RunSummary summary = this.summaries.summarise(run, jobExecution);
            List<String> headers = this.json.readValue(run.headers(), STRINGS);
            this.reportWriter.write(reportDirectory(runId), summary, headers);
            if (!"CLI".equals(run.trigger()) && summary.message() != null && summary.exitCode() != ExitCodes.OK) {
                // The command line prints the summary itself; in serve, the log is where it is read.
                logger.warn("Run " + runId + " (" + run.fileName() + ") " + summary.status().toLowerCase(Locale.ROOT)
                        + ": " + summary.message());
            }
        }
        catch (RuntimeException ex) {
            // A report that cannot be written must not hide the run's own outcome.
            logger.error("Could not write the reports of run " + runId + ": " + ex.getMessage());
            jobExecution.addFailureException(ex);
        }
    }

    Path reportDirectory(long runId) {
        return this.properties.reportDirectory(runId);
    }

}
