package org.openledger.studio.datanet.check;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a check found in a row. Secrets and personal data block the upload until the row is rejected or fixed. */
public enum FindingKind {
    EMAIL(Category.PERSONAL_DATA),
    PHONE_NUMBER(Category.PERSONAL_DATA),
    CARD_NUMBER(Category.PERSONAL_DATA),
    IBAN(Category.PERSONAL_DATA),
    API_KEY(Category.SECRET),
    PEM_PRIVATE_KEY(Category.SECRET),
    ETHEREUM_PRIVATE_KEY(Category.SECRET),
    MNEMONIC(Category.SECRET),
    TOO_SHORT(Category.QUALITY),
    MOSTLY_NON_TEXT(Category.QUALITY),
    BROKEN_ENCODING(Category.QUALITY);

    public enum Category {
        SECRET, PERSONAL_DATA, QUALITY;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Category category;

    FindingKind(Category category) {
        this.category = category;
    }

    public Category category() {
        return category;
    }

    /** Whether an accepted row with this finding stops the upload. */
    public boolean blocking() {
        return category != Category.QUALITY;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FindingKind fromJsonName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
