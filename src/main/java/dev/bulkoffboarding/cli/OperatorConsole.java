package dev.bulkoffboarding.cli;

import java.io.Console;

import org.springframework.stereotype.Component;

/**
 * The person at the terminal, if there is one: {@code run} asks them to type the number of wipes
 * before sending any. Without a console (cron, CI, a pipe) nobody is asked and the number must be
 * given with {@code --confirm-wipes}.
 */
interface OperatorConsole {

    /** Whether a person can answer: standard input and output are a terminal. */
    boolean interactive();

    /**
     * Shows the prompt and reads one line.
     *
     * @return the line, or {@code null} at the end of input
     */
    String ask(String prompt);

    /** The JVM's console ({@link System#console()}), which exists only when a terminal is attached. */
    @Component
    class SystemConsole implements OperatorConsole {

        @Override
        public boolean interactive() {
            return System.console() != null;
        }

        @Override
        public String ask(String prompt) {
            Console console = System.console();
            return (console == null) ? null : console.readLine("%s", prompt);
        }

    }

}
