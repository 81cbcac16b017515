package dev.bulkoffboarding.rows;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerVendorTextTests {

    @Test
    void cutsAVendorCodeLongerThanItsColumnAndSaysSo() {
        // given
        String code = "E".repeat(150);

        // when
        String stored = Ledger.vendorText(code, Ledger.ERROR_CODE_LENGTH);

        // then
        assertThat(stored).hasSize(100).startsWith("E".repeat(99)).endsWith("…");
    }

    @Test
    void keepsTextThatFitsAsItIs() {
        // given
        String status = "S".repeat(Ledger.VENDOR_STATUS_LENGTH);

        // when / then
        assertThat(Ledger.vendorText(status, Ledger.VENDOR_STATUS_LENGTH)).isEqualTo(status);
        assertThat(Ledger.vendorText(null, Ledger.VENDOR_STATUS_LENGTH)).isNull();
    }

    @Test
    void neverSplitsACharacterOutsideTheBasicPlane() {
        // given: 99 letters, then an emoji (two UTF-16 units) straddling the 100th position
        String code = "a".repeat(98) + "😀" + "tail";

        // when
        String stored = Ledger.vendorText(code, 100);

        // then
        assertThat(stored).isEqualTo("a".repeat(98) + "…");
        assertThat(stored.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
        assertThat(Character.isSurrogate(stored.charAt(stored.length() - 2))).isFalse();
    }

    @Test
    void replacesNulsAsEverythingElseStoredDoes() {
        // when / then
        assertThat(Ledger.vendorText("bad\u0000code", 100)).isEqualTo("bad\uFFFDcode");
    }

}
