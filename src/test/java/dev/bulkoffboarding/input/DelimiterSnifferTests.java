package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.StringReader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DelimiterSnifferTests {

    @Test
    void picksTheMostFrequentCandidate() throws IOException {
        // when / then
        assertThat(sniff("a;b;c,d\n1,2,3,4,5,6\n")).isEqualTo(';');
        assertThat(sniff("a|b|c\n")).isEqualTo('|');
        assertThat(sniff("a\tb c\td\n")).isEqualTo('\t');
    }

    @Test
    void defaultsToCommaWithoutCandidatesAndPrefersCommaOnTies() throws IOException {
        // when / then
        assertThat(sniff("serial_number\nA\n")).isEqualTo(',');
        assertThat(sniff("a;b,c|d\tz")).isEqualTo(',');
        assertThat(sniff("")).isEqualTo(',');
    }

    @Test
    void ignoresCandidatesInsideQuotesIncludingAfterDoubledQuotes() throws IOException {
        // when / then
        assertThat(sniff("\"a,\"\"b,c\"\",d\";e;f\n")).isEqualTo(';');
        assertThat(sniff("\"multi\nline, header\";x;y\n")).isEqualTo(';');
    }

    @Test
    void treatsAQuoteInsideAPlainFieldAsText() throws IOException {
        // given: Commons CSV only opens quotes at the start of a field
        String header = "5\" screen;a;b\nx,y,z,w,v\n";

        // when / then
        assertThat(sniff(header)).isEqualTo(';');
    }

    @Test
    void skipsBlankAndDelimiterOnlyLinesBeforeTheHeader() throws IOException {
        // when / then
        assertThat(sniff("\n ,,,,, \r\n\t\na;b\n")).isEqualTo(';');
    }

    private static char sniff(String text) throws IOException {
        return DelimiterSniffer.sniff(new StringReader(text), 1_000);
    }

}
