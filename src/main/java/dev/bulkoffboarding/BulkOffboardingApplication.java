package dev.bulkoffboarding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Turns offboarding spreadsheets into Quipteams device actions: one action per valid row, never
 * twice, with a report of every row.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulkOffboardingApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(BulkOffboardingApplication.class, args)));
    }

}
