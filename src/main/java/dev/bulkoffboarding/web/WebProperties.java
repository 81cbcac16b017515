package dev.bulkoffboarding.web;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The review UI and REST API of {@code serve}.
 *
 * @param users who may log in, by user name: a BCrypt hash of the password and a role; none
 * configured means a one-time operator password is generated and printed at start
 * @param uploadDir where uploaded files are kept (a restart of their run reads them again)
 * @param pageSize rows per page of a run's table
 */
@ConfigurationProperties("offboarding.web")
record WebProperties(@DefaultValue Map<String, User> users, @DefaultValue("./data/uploads") Path uploadDir,
        @DefaultValue("50") int pageSize) {

    /**
     * A user.
     *
     * @param password a BCrypt hash ({@code {bcrypt}$2a$...} or {@code $2a$...}); never the password
     * @param role {@code viewer} (read) or {@code operator} (also upload, run, restart)
     */
    record User(String password, @DefaultValue("viewer") Role role) {

        @Override
        public String toString() {
            return "User[role=" + this.role + "]";
        }

    }

    /** What a user may do. */
    enum Role {

        /** Reads runs, rows, reports and metrics. */
        VIEWER,
        /** Also uploads files, confirms runs, restarts runs and checks the inbox. */
        OPERATOR

    }

}
