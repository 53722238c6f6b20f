package org.openledger.studio.daemon.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * Clients of non-streamed completions that close their socket before the answer, over raw sockets against a real
 * node: their rows are cancelled (not generated to the end), the request counts as 499, and a client that stays
 * gets its whole answer.
 */
class ClientDisconnectTest {

    private static final String TOKEN = "disconnect-test-token-0123456789";
    /** Rows per request, and the longest each may run (the tiny model's context is 128). */
    private static final int N = 8;
    private static final int MAX_TOKENS = 110;

    @TempDir
    static Path dir;

    private static Node node;
    private static final OkHttpClient http = NodeClient.defaultHttp();

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("tiny-chat");
        TinyModels.chatModel(model, 7);
        BaseModel base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 1, 128);
        // one row per batch: the rows of a request run one after another, so a cancelled request leaves work undone
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", InferenceServices.of(ServedModels.of(base, dir.resolve("adapters"), 4), 1));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Every row runs to max_tokens: the end-of-text token (id 1) is banned. */
    private static byte[] request(int n) throws Exception {
        String body = Wire.mapper().writeValueAsString(Wire.mapper().createObjectNode().put("prompt", "The cat")
                .put("max_tokens", MAX_TOKENS).put("n", n).put("temperature", 1.0).put("seed", 3)
                .set("logit_bias", Wire.mapper().createObjectNode().put("1", -100)));
        return ("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static double metric(String name) throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/metrics")
                .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(r.body().string());
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
    }

    @Test
    void aClosedSocketCancelsItsRowsAndAnOpenOneGetsItsAnswer() throws Exception {
        double tokensBefore = metric("studio_inference_tokens_total");
        List<Socket> left = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port());
            s.getOutputStream().write(request(N));
            s.getOutputStream().flush();
            left.add(s);
        }
        Thread.sleep(300);
        for (Socket s : left) {
            s.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (metric("studio_inference_active_rows") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0.0, metric("studio_inference_active_rows"), "every row of the gone clients ended");
        double generated = metric("studio_inference_tokens_total") - tokensBefore;
        double cancelled = metric("studio_inference_cancelled_rows_total");
        assertTrue(cancelled >= N, "the rows of at least one whole request were cancelled, not generated: " + cancelled);
        assertTrue(generated < 3 * N * MAX_TOKENS * 0.75, "most of the work was never done: " + generated + " tokens");
        assertEquals(3.0, metric("studio_http_requests_total{method=\"POST\",route=\"/v1/completions\",status=\"499\"}"),
                "each gone client counts as 499, none as a 5xx");

        // a client that keeps its socket open while the answer takes a while is never taken for gone
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request(2));
            out.flush();
            String answer = readAnswer(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            JsonNode json = Wire.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(2, json.path("choices").size());
            assertEquals(2 * MAX_TOKENS, json.path("usage").path("completion_tokens").asInt());
        }
    }

    /** One answer with a Content-Length body. */
    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int length = -1;
        int bodyStart = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            buf.write(b);
            String text = buf.toString(StandardCharsets.UTF_8);
            if (bodyStart < 0 && text.endsWith("\r\n\r\n")) {
                bodyStart = buf.size();
                Matcher m = Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
                length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (bodyStart >= 0 && buf.size() - bodyStart >= length) {
                break;
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
