package dev.bulkoffboarding.process;

import java.nio.file.Path;

/**
 * The device-claim contract across processes on the default database: one H2 file, which the
 * first process opens and serves to the others ({@code AUTO_SERVER=TRUE}).
 */
class DeviceClaimsAcrossProcessesOnH2IntegrationTests extends DeviceClaimsAcrossProcessesIntegrationTests {

    @Override
    SharedDatabase database(Path dataDirectory) {
        return SharedDatabase.h2(dataDirectory);
    }

}
