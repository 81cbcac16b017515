package dev.bulkoffboarding.process;

import java.nio.file.Path;

/** The device-claim contract across processes on PostgreSQL, in a fresh database per test. */
class DeviceClaimsAcrossProcessesOnPostgresIntegrationTests extends DeviceClaimsAcrossProcessesIntegrationTests {

    @Override
    SharedDatabase database(Path dataDirectory) {
        return SharedDatabase.postgres(dataDirectory);
    }

}
