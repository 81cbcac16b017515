package dev.bulkoffboarding.rows;

import java.time.Instant;

/**
 * A run as the ledger knows it. Its id is the Spring Batch job instance id, so the job repository
 * and the ledger tell the same story.
 */
public record RunRecord(long id, RunKind kind, String fileName, String fileSha256, String label, String trigger,
        boolean sandbox, String headers, Long totalRecords, Instant gatedAt, Instant createdAt) {

    /** What a run was started for. */
    public enum RunKind {

        /** Stage, gate and submit. */
        RUN,
        /** Stage and gate only; sends nothing. */
        VALIDATE

    }

}
