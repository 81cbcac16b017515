package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What makes a run that run: the SHA-256 of its file's content, plus an optional label for a
 * deliberate re-run. The same content under another name or path is the same run; another
 * content under the same path is another run. This is the one place that computes it, for the
 * launch path ({@link RunService}) and for {@code serve}'s look-ups before a start.
 *
 * @param sha256 the file's SHA-256, lower-case hex
 * @param label the label, or null
 */
public record RunIdentity(String sha256, String label) {

    /**
     * @param file the input file, read once, streaming
     * @param label the label, or null
     * @return the identity of the run of this file
     * @throws IOException if the file cannot be read
     */
    public static RunIdentity of(Path file, String label) throws IOException {
        return new RunIdentity(sha256(file), label);
    }

    /**
     * @return the file's SHA-256 as lower-case hex, read streaming
     * @throws IOException if the file cannot be read
     */
    public static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The identity a job execution was started with. */
    static RunIdentity of(JobParameters identifying) {
        return new RunIdentity(identifying.getString(RunParameters.SHA256), identifying.getString(RunParameters.LABEL));
    }

    /** The identifying job parameters: a Spring Batch job instance per identity. */
    JobParameters toJobParameters() {
        JobParametersBuilder identity = new JobParametersBuilder().addString(RunParameters.SHA256, this.sha256);
        if (this.label != null) {
            identity.addString(RunParameters.LABEL, this.label);
        }
        return identity.toJobParameters();
    }

    /** What {@link RunLocks} locks: one owner per job and identity, across processes. */
    String lockKey(String job) {
        return job + "|" + this.sha256 + "|" + ((this.label != null) ? this.label : "");
    }

}
