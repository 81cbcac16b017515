package dev.bulkoffboarding.cli;

import java.util.Arrays;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Hands the command line to picocli and keeps its exit code for Spring Boot. Arguments of the form
 * {@code --some.property=value} are Spring configuration, not commands, and are left out.
 */
@Component
@ConditionalOnProperty(name = "offboarding.cli.enabled", matchIfMissing = true)
class CliRunner implements CommandLineRunner, ExitCodeGenerator {

    private final BulkOffboardingCommand command;

    private final IFactory factory;

    private int exitCode;

    CliRunner(BulkOffboardingCommand command, IFactory factory) {
        this.command = command;
        this.factory = factory;
    }

    @Override
    public void run(String... args) {
        String[] commandArgs = Arrays.stream(args).filter((arg) -> !isSpringProperty(arg)).toArray(String[]::new);
        this.exitCode = new CommandLine(this.command, this.factory)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExitCodeExceptionMapper((ex) -> 2)
            .execute(commandArgs);
    }

    static boolean isSpringProperty(String arg) {
        if (arg.equals("--debug")) {
            // Spring Boot's own flag: more logging, and stack traces of expected stops too
            return true;
        }
        if (!arg.startsWith("--") || !arg.contains("=")) {
            return false;
        }
        String name = arg.substring(2, arg.indexOf('='));
        return name.contains(".");
    }

    @Override
    public int getExitCode() {
        return this.exitCode;
    }

}
