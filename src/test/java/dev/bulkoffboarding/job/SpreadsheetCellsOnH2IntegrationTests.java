package dev.bulkoffboarding.job;

/** Spreadsheet cells through the whole job on the default embedded database. */
class SpreadsheetCellsOnH2IntegrationTests extends SpreadsheetCellsIntegrationTests {

}
