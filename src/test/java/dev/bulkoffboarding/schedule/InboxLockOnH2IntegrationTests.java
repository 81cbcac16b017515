package dev.bulkoffboarding.schedule;

import java.util.List;
import java.util.UUID;

/** Two instances on one H2 database (in memory, shared within this JVM). */
class InboxLockOnH2IntegrationTests extends InboxLockIntegrationTests {

    @Override
    List<String> sharedDatabase() {
        return List.of("--spring.datasource.url=jdbc:h2:mem:shared-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

}
