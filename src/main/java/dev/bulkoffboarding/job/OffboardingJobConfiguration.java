package dev.bulkoffboarding.job;

import java.nio.file.Path;
import java.time.Clock;

import javax.sql.DataSource;

import dev.bulkoffboarding.quipteams.DeviceActionClient;
import dev.bulkoffboarding.quipteams.DeviceActionSubmitter;
import dev.bulkoffboarding.quipteams.InventoryLookup;
import dev.bulkoffboarding.quipteams.QuipteamsProperties;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The offboarding job: stage (read, validate, write every record to the ledger), gate (whole-file
 * checks before anything irreversible), submit (send what is valid, record every outcome). The
 * validation job is the same without submit. Reports are written by {@link RunListener} after
 * every execution, whatever its outcome.
 */
@Configuration(proxyBeanMethods = false)
class OffboardingJobConfiguration {

    static final String OFFBOARDING_JOB = "offboardingJob";

    static final String VALIDATION_JOB = "validationJob";

    @Bean
    Job offboardingJob(JobRepository jobRepository, Step stageStep, Step gateStep, Step preflightStep, Step submitStep,
            RunListener runListener, GracefulShutdown gracefulShutdown, DeviceActionClient deviceActionClient) {
        return new JobBuilder(OFFBOARDING_JOB, jobRepository)
            .listener(runListener)
            .listener(gracefulShutdown)
            .listener(warmUp(deviceActionClient))
            .start(stageStep)
            .next(gateStep)
            .next(preflightStep)
            .next(submitStep)
            .build();
    }

    /** The HTTP client gets ready while the file is staged (it sends nothing until submit). */
    private static JobExecutionListener warmUp(DeviceActionClient deviceActionClient) {
        return new JobExecutionListener() {

            @Override
            public void beforeJob(JobExecution jobExecution) {
                deviceActionClient.warmUpInBackground();
            }

        };
    }

    @Bean
    Job validationJob(JobRepository jobRepository, Step stageStep, Step gateStep, Step preflightStep,
            RunListener runListener, GracefulShutdown gracefulShutdown) {
        return new JobBuilder(VALIDATION_JOB, jobRepository)
            .listener(runListener)
            .listener(gracefulShutdown)
            .start(stageStep)
            .next(gateStep)
            .next(preflightStep)
            .build();
    }

    /**
     * Asks the vendor about the devices before the first request ({@code validate --online}, and
     * {@code run} unless {@code offboarding.preflight.enabled=false}). Not repeated by a restart
     * once it completed.
     */
    @Bean
    Step preflightStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PreflightTasklet preflightTasklet) {
        return new StepBuilder("preflightStep", jobRepository)
            .tasklet(preflightTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    PreflightTasklet preflightTasklet(Ledger ledger, DeviceClaims claims, ObjectProvider<InventoryLookup> inventoryLookup,
            OffboardingProperties properties, Clock clock, JsonMapper jsonMapper,
            @Value("#{jobParameters['" + RunParameters.PREFLIGHT + "'] ?: 'false'}") String preflight) {
        return new PreflightTasklet(ledger, claims, inventoryLookup::getObject, properties.preflight(), clock, jsonMapper,
                Boolean.parseBoolean(preflight));
    }

    @Bean
    Step stageStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OffboardingProperties properties, StagedRowReader stagedRowReader, Ledger ledger) {
        return new StepBuilder("stageStep", jobRepository)
            .<LedgerRow, LedgerRow>chunk(properties.stageChunkSize())
            .transactionManager(transactionManager)
            .reader(stagedRowReader)
            .writer(new LedgerItemWriter(ledger))
            .listener(new StageListener(ledger, stagedRowReader))
            .build();
    }

    @Bean
    @StepScope
    StagedRowReader stagedRowReader(@Value("#{jobParameters['" + RunParameters.FILE + "']}") String file,
            @Value("#{stepExecution.jobExecution.jobInstanceId}") long runId,
            @Value("#{jobParameters['" + RunParameters.SHA256 + "']}") String sha256,
            @Value("#{stepExecution.jobExecution.jobInstance.jobName}") String jobName,
            @Value("#{jobParameters['" + RunParameters.PREFLIGHT + "'] ?: 'false'}") String preflight,
            OffboardingProperties properties, RowRules rules, JsonMapper jsonMapper) {
        var records = new CsvRecordReader(Path.of(file), properties.input().options());
        // A validation run never sends: its rows need no request body, unless it checks with the
        // vendor, which reads the current user's name from it.
        var processor = new StagingProcessor(runId, sha256, new RowValidator(rules), jsonMapper,
                OFFBOARDING_JOB.equals(jobName) || Boolean.parseBoolean(preflight));
        return new StagedRowReader(records, processor);
    }

    @Bean
    Step gateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            GateTasklet gateTasklet) {
        return new StepBuilder("gateStep", jobRepository)
            .tasklet(gateTasklet, transactionManager)
            .allowStartIfComplete(true)
            .listener(new GateListener())
            .build();
    }

    @Bean
    @StepScope
    GateTasklet gateTasklet(Ledger ledger, OffboardingProperties properties, Clock clock,
            @Value("#{jobParameters['" + RunParameters.DEDUP + "'] ?: 'true'}") String dedup,
            @Value("#{jobParameters['" + RunParameters.CONFIRMED_WIPES + "'] ?: -1}") long confirmedWipes,
            @Value("#{jobParameters['" + RunParameters.WIPES_CONFIRMED_IMPLICITLY + "']}") String implicitly) {
        WipeConfirmation wipes = (confirmedWipes >= 0) ? WipeConfirmation.expecting(confirmedWipes)
                : (implicitly != null) ? WipeConfirmation.implicitly(implicitly) : WipeConfirmation.none();
        return new GateTasklet(ledger, properties, Boolean.parseBoolean(dedup), clock, wipes);
    }

    @Bean
    Step submitStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OffboardingProperties properties, PendingRowReader pendingRowReader, SubmitWriter submitWriter,
            Ledger ledger, DeviceActionSubmitter submitter, RunLocks runLocks) {
        return new StepBuilder("submitStep", jobRepository)
            .<LedgerRow, LedgerRow>chunk(properties.chunkSize())
            .transactionManager(transactionManager)
            .reader(pendingRowReader)
            .writer(submitWriter)
            .listener(new SubmitListener(ledger, pendingRowReader, submitter))
            .listener(new RunOwnershipCheck(runLocks))
            .build();
    }

    /** Who owns which run: taken by {@link RunService}, checked by the submit step before each chunk. */
    @Bean
    RunLocks runLocks(DataSource dataSource, OffboardingProperties properties) {
        return RunLocks.forDataSource(dataSource, properties.dataDir());
    }

    @Bean
    @StepScope
    PendingRowReader pendingRowReader(Ledger ledger, OffboardingProperties properties,
            @Value("#{stepExecution.jobExecution.jobInstanceId}") long runId,
            @Value("#{jobParameters['" + RunParameters.CANARY + "'] ?: -1}") long canary) {
        return new PendingRowReader(ledger, runId, properties.chunkSize(), canary);
    }

    @Bean
    @StepScope
    SubmitWriter submitWriter(Ledger ledger, DeviceClaims claims, DeviceActionSubmitter submitter,
            OffboardingProperties properties, QuipteamsProperties quipteams, Clock clock,
            @Value("#{stepExecution.jobExecution.jobInstanceId}") long runId,
            @Value("#{jobParameters['" + RunParameters.DEDUP + "'] ?: 'true'}") String dedup) {
        long pending = ledger.countPending(runId).rows();
        var claimPolicy = new SubmitWriter.ClaimPolicy(ledger.findRun(runId).orElseThrow().sandbox(),
                Boolean.parseBoolean(dedup) ? properties.dedupWindow() : null);
        return new SubmitWriter(ledger, claims, claimPolicy, submitter, runId, properties.maxRejected(),
                quipteams.maxInFlight(), new SubmitProgress(pending, properties.progressInterval(), clock), clock,
                ledger.countByState(runId).get(RowState.REJECTED));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

}
