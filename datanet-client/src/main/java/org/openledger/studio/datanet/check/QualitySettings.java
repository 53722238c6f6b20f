package org.openledger.studio.datanet.check;

/**
 * @param minWords       rows with fewer words are too short to teach a model anything
 * @param minLetterShare rows where letters are less than this share of the visible characters are mostly non-text
 */
public record QualitySettings(int minWords, double minLetterShare) {
    public static final QualitySettings DEFAULT = new QualitySettings(4, 0.5);
}
