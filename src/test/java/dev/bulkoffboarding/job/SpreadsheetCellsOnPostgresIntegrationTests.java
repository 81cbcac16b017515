package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** Spreadsheet cells through the whole job on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class SpreadsheetCellsOnPostgresIntegrationTests extends SpreadsheetCellsIntegrationTests {

}
