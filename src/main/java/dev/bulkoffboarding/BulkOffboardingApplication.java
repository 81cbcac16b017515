package dev.bulkoffboarding;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.bulkoffboarding.job.DatabaseOpenedAhead;

/**
 * Turns offboarding spreadsheets into Quipteams device actions: one action per valid row, never
 * twice, with a report of every row.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulkOffboardingApplication {

    private static final Set<String> SERVE_OPTIONS_THAT_DO_NOT_SERVE = Set.of("-h", "--help", "-V", "--version",
            "--hash-password");

    private static final String IGNORE_BACKGROUND_PREINITIALIZER = "spring.backgroundpreinitializer.ignore";

    public static void main(String[] args) {
        OptionalInt inSecondJvm = FastStart.run(args);
        if (inSecondJvm.isPresent()) {
            System.exit(inSecondJvm.getAsInt());
        }
        if (serves(args)) {
            // The web server's threads keep the process up; a signal closes the context (and stops
            // running jobs cleanly, see GracefulShutdown).
            SpringApplication.run(BulkOffboardingApplication.class, withWebServer(args));
            return;
        }
        // A command-line tool has no use for Spring Boot's warming of Tomcat, Jackson and validation
        // on a background thread: on two cores it takes CPU from the command for classes it never uses.
        if (System.getProperty(IGNORE_BACKGROUND_PREINITIALIZER) == null) {
            System.setProperty(IGNORE_BACKGROUND_PREINITIALIZER, "true");
        }
        SpringApplication application = new SpringApplication(BulkOffboardingApplication.class);
        BuildTimeContext.apply(application);
        application.addListeners(new DatabaseOpenedAhead());
        System.exit(SpringApplication.exit(application.run(args)));
    }

    /**
     * Whether these arguments start the long-running {@code serve} mode. Every other command is a
     * command-line tool without a web server: the web application type is switched on for serve only.
     */
    static boolean serves(String[] args) {
        List<String> commandArgs = Arrays.stream(args).filter((arg) -> !isSpringProperty(arg)).toList();
        return "serve".equals(command(args))
                && commandArgs.stream().noneMatch(SERVE_OPTIONS_THAT_DO_NOT_SERVE::contains);
    }

    /** The command these arguments give ({@code validate}, {@code serve}...), or an empty string. */
    static String command(String[] args) {
        return Arrays.stream(args).filter((arg) -> !isSpringProperty(arg)).findFirst().orElse("");
    }

    /** Command-line properties win over application.yml, which keeps the CLI commands web-less. */
    static String[] withWebServer(String[] args) {
        return Stream.concat(Stream.of("--spring.main.web-application-type=servlet"), Arrays.stream(args))
            .toArray(String[]::new);
    }

    private static boolean isSpringProperty(String arg) {
        return arg.startsWith("--") && arg.contains("=") && arg.substring(2, arg.indexOf('=')).contains(".");
    }

}
