package dev.bulkoffboarding.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UploadsTests {

    @Test
    void keepsAnOrdinaryName() {
        assertThat(Uploads.safeName("offboarding March.csv")).isEqualTo("offboarding March.csv");
    }

    @Test
    void dropsThePathABrowserSends() {
        assertThat(Uploads.safeName("C:\\Users\\hr\\export.csv")).isEqualTo("export.csv");
        assertThat(Uploads.safeName("../../etc/passwd")).isEqualTo("passwd");
    }

    @Test
    void replacesCharactersAShellOrSpreadsheetWouldMind() {
        assertThat(Uploads.safeName("a;b|c$(d).csv")).isEqualTo("a_b_c__d_.csv");
        assertThat(Uploads.safeName("..hidden.csv")).isEqualTo("hidden.csv");
    }

    @Test
    void namesAFileWithoutAName() {
        assertThat(Uploads.safeName(null)).isEqualTo("upload.csv");
        assertThat(Uploads.safeName("...")).isEqualTo("upload.csv");
    }

    @Test
    void shortensAVeryLongNameKeepingItsEnd() {
        assertThat(Uploads.safeName("x".repeat(300) + ".csv")).hasSize(120).endsWith(".csv");
    }

}
