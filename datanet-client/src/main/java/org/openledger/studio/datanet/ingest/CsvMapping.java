package org.openledger.studio.datanet.ingest;

/**
 * Which CSV columns make a row. The first record is the header; columns are named by their header.
 * With neither a text column nor an instruction/response pair, the mapping is chosen from the header: a
 * {@code text} column, else {@code instruction}+{@code response} (or {@code prompt}+{@code completion}), else the
 * only column.
 *
 * @param delimiter         usually {@code ,}; {@code ;} and tab are common too
 * @param textColumn        the column holding the row text, or null
 * @param instructionColumn with {@code responseColumn}: rows are instruction pairs; or null
 * @param responseColumn    see above
 */
public record CsvMapping(char delimiter, String textColumn, String instructionColumn, String responseColumn) {

    public CsvMapping {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the delimiter cannot be a quote or a line break");
        }
        if ((instructionColumn == null) != (responseColumn == null)) {
            throw new IllegalArgumentException("an instruction column needs a response column and vice versa");
        }
        if (textColumn != null && instructionColumn != null) {
            throw new IllegalArgumentException("map either a text column or an instruction/response pair, not both");
        }
    }

    public static CsvMapping auto() {
        return new CsvMapping(',', null, null, null);
    }

    public static CsvMapping text(String column) {
        return new CsvMapping(',', column, null, null);
    }

    public static CsvMapping instruction(String instructionColumn, String responseColumn) {
        return new CsvMapping(',', null, instructionColumn, responseColumn);
    }

    public CsvMapping withDelimiter(char d) {
        return new CsvMapping(d, textColumn, instructionColumn, responseColumn);
    }
}
