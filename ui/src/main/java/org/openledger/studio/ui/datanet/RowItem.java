package org.openledger.studio.ui.datanet;

import java.util.List;
import org.openledger.studio.datanet.workspace.RowStatus;

/**
 * A row of the curation table: what the workspace holds and the badges the checks gave it ({@code duplicate} is
 * "exact", "near" or empty; {@code secrets} and {@code quality} name the findings).
 */
public record RowItem(long id, String source, RowStatus status, String text, String duplicate, List<String> secrets,
                      List<String> quality) {

    public RowItem {
        secrets = List.copyOf(secrets);
        quality = List.copyOf(quality);
    }

    /** The badges as the table shows them. */
    public String badges() {
        StringBuilder sb = new StringBuilder();
        if (!duplicate.isEmpty()) {
            sb.append(duplicate.equals("exact") ? "Duplicate" : "Near duplicate");
        }
        if (!secrets.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " · ").append("Secret: ").append(String.join(", ", secrets));
        }
        if (!quality.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " · ").append(String.join(", ", quality));
        }
        return sb.toString();
    }
}
