package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Finds the run a file becomes before it starts: a run is identified by the file's SHA-256 and
 * its optional label, so an earlier run of the same content is the run a new start resumes.
 */
@Component
@ConditionalOnWebApplication
class RunLookup {

    private final JdbcTemplate jdbc;

    RunLookup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The run (kind RUN) of this content and label, if there has been one. */
    Optional<Long> runOf(String sha256, String label) {
        return this.jdbc.queryForList("select id from offboarding_run where kind = 'RUN' and file_sha256 = ? and "
                + "coalesce(label, '') = ? order by id desc", Long.class, sha256, (label != null) ? label : "")
            .stream()
            .findFirst();
    }

    /** How many times a run has been started (Spring Batch executions of its job instance). */
    long executions(long runId) {
        Long count = this.jdbc.queryForObject("select count(*) from batch_job_execution where job_instance_id = ?",
                Long.class, runId);
        return (count == null) ? 0 : count;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
