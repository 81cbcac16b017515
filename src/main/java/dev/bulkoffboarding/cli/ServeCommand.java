package dev.bulkoffboarding.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import dev.bulkoffboarding.job.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * {@code serve}: the long-running mode. By the time this command runs, the application has
 * started the web server, the inbox schedule and everything else (the main class switches the web
 * application on for this command only); it says where to go, and the process stays up until it is
 * stopped.
 */
@Component
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = { "Run the review UI and REST API, and process the inbox folder on a schedule.",
                "Listens on 127.0.0.1:8080 unless server.address / server.port say otherwise. Stop it with Ctrl-C "
                        + "or SIGTERM: runs in progress stop after their current chunk and can be restarted; "
                        + "serve then exits 0." })
class ServeCommand implements Callable<Integer> {

    private final ApplicationContext context;

    private final Environment environment;

    @Option(names = "--hash-password", description = "read a password (from the console, or one line of standard "
            + "input) and print its BCrypt hash for offboarding.web.users.NAME.password; does not serve")
    boolean hashPassword;

    @Spec
    CommandSpec spec;

    ServeCommand(ApplicationContext context, Environment environment) {
        this.context = context;
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = this.spec.commandLine().getOut();
        if (this.hashPassword) {
            return printHash(out);
        }
        if (!(this.context instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            this.spec.commandLine().getErr().println("serve needs its web server: start it as "
                    + "'java -jar bulk-offboarding.jar serve'.");
            return ExitCodes.USAGE;
        }
        String address = this.environment.getProperty("server.address", "0.0.0.0");
        out.printf("Serving the review UI at http://%s:%d/ (REST API under /api, health at /actuator/health).%n",
                address.contains(":") ? "[" + address + "]" : address, web.getWebServer().getPort());
        out.printf("Inbox: %s. Stop with Ctrl-C.%n", this.environment.getProperty("offboarding.inbox.dir", "./inbox"));
        out.flush();
        return ExitCodes.OK;
    }

    private int printHash(PrintWriter out) throws IOException {
        Console console = System.console();
        String password;
        if (console != null) {
            char[] typed = console.readPassword("Password: ");
            password = (typed == null) ? null : new String(typed);
        }
        else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            this.spec.commandLine().getErr().println("No password given.");
            return ExitCodes.USAGE;
        }
        out.println("{bcrypt}" + new BCryptPasswordEncoder().encode(password));
        out.flush();
        return ExitCodes.OK;
    }

}
