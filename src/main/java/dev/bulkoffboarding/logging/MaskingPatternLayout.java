package dev.bulkoffboarding.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A Logback pattern layout that passes every formatted line, stack traces included, through
 * {@link LogMasking}. Used by {@code logback-spring.xml}; whatever pattern is configured
 * ({@code logging.pattern.console}), the masking applies to the whole line.
 */
public class MaskingPatternLayout extends PatternLayout {

    private boolean maskPersonalData = true;

    /** Whether e-mail addresses and phone numbers are masked too (secrets always are). */
    public void setMaskPersonalData(boolean maskPersonalData) {
        this.maskPersonalData = maskPersonalData;
    }

    public boolean isMaskPersonalData() {
        return this.maskPersonalData;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return LogMasking.mask(super.doLayout(event), this.maskPersonalData);
    }

}
