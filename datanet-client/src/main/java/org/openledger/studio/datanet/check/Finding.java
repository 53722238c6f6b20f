package org.openledger.studio.datanet.check;

import java.util.Objects;

/**
 * One finding in a row's text, between {@code start} and {@code end} (character indexes). The detail never holds
 * the secret itself, only enough to recognise it ("card ending 4242"), because reports are printed and logged.
 */
public record Finding(FindingKind kind, int start, int end, String detail) {
    public Finding {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(detail);
    }
}
