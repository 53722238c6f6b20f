package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * The bytes of one upload chunk: one JSON object per line ({@code hash}, {@code source}, {@code text}, in that
 * order), UTF-8. Encoding is deterministic, so the chunk hash planned before signing is the hash of the bytes sent.
 */
public final class ChunkPayload {

    private final ObjectMapper json = new ObjectMapper();

    public byte[] encode(List<UploadRow> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (UploadRow r : rows) {
            out.writeBytes(line(r));
        }
        return out.toByteArray();
    }

    /** One row's line, with its line break. */
    byte[] line(UploadRow row) {
        try {
            byte[] body = json.writeValueAsBytes(row);
            byte[] withBreak = new byte[body.length + 1];
            System.arraycopy(body, 0, withBreak, 0, body.length);
            withBreak[body.length] = '\n';
            return withBreak;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws ContributionRejectedException when a line is not a row
     */
    public List<UploadRow> decode(byte[] payload) {
        List<UploadRow> rows = new ArrayList<>();
        int line = 0;
        for (String text : new String(payload, StandardCharsets.UTF_8).split("\n")) {
            line++;
            if (text.isEmpty()) {
                continue;
            }
            try {
                rows.add(json.readValue(text, UploadRow.class));
            } catch (JsonProcessingException e) {
                throw new ContributionRejectedException("chunk line " + line + " is not a row: " + e.getOriginalMessage());
            }
        }
        return rows;
    }

    /** keccak256 of the payload, 0x-hex. */
    public static String hash(byte[] payload) {
        return Hex.of(Hash.sha3(payload));
    }
}
