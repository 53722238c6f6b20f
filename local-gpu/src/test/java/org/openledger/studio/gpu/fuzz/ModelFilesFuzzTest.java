package org.openledger.studio.gpu.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.fuzz.Campaign;
import org.openledger.studio.fuzz.FuzzTarget;
import org.openledger.studio.fuzz.FuzzTarget.Format;
import org.openledger.studio.fuzz.Mutator;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsException;
import org.openledger.studio.gpu.safetensors.SafetensorsFile;
import org.openledger.studio.gpu.safetensors.SafetensorsWriter;
import org.openledger.studio.gpu.safetensors.Tensor;
import org.openledger.studio.gpu.tokenizer.BpeTrainer;
import org.openledger.studio.gpu.tokenizer.ChatMessage;
import org.openledger.studio.gpu.tokenizer.ChatTemplate;
import org.openledger.studio.gpu.tokenizer.ChatTemplateException;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * Fuzzing of every file a model or adapter folder brings from elsewhere (a download, a peer's push): safetensors
 * headers and bodies, config.json, adapter_config.json, tokenizer.json, tokenizer_config.json and its chat template.
 * Short seeded runs here (decision 0022); {@code scripts/fuzz.sh HOURS} runs the same targets for long.
 */
class ModelFilesFuzzTest {

    /** Inputs kept from earlier findings, replayed before every run. */
    static final Path REGRESSIONS = Path.of("src/test/resources/fuzz");

    @TempDir
    static Path dir;

    private static final List<ChatMessage> CONVERSATION = List.of(ChatMessage.system("Be brief."),
            ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("What is 2+2?"));

    static byte[] file(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    @BeforeAll
    static void seeds() throws IOException {
        Files.createDirectories(dir.resolve("seeds"));
    }

    private static void check(FuzzTarget target) throws IOException {
        Campaign.Report report = Campaign.fromSystemProperties().run(target, REGRESSIONS);
        assertTrue(report.findings().isEmpty(), () -> report + ": " + report.findings());
    }

    // ---- safetensors --------------------------------------------------------------------------------------------

    static List<byte[]> safetensorsSeeds() throws IOException {
        Random rnd = new Random(7);
        List<byte[]> seeds = new java.util.ArrayList<>();
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            float[] a = new float[12];
            float[] b = new float[4];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
            tensors.put("model.layers.0.self_attn.q_proj.weight", Tensor.of(a, 3, 4));
            tensors.put("model.norm.weight", Tensor.of(b, 4));
            Path f = dir.resolve("seeds").resolve(dtype + ".safetensors");
            SafetensorsWriter.write(f, tensors, dtype, Map.of("format", "pt"));
            seeds.add(file(f));
        }
        return seeds;
    }

    /** Mutates the 8-byte length, the JSON header (its length kept right most of the time) or the tensor bytes. */
    static byte[] mutateSafetensors(byte[] seed, Random r, Mutator m) {
        ByteBuffer b = ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN);
        long len = b.getLong(0);
        if (seed.length < 8 || len < 0 || len > seed.length - 8 || r.nextInt(5) == 0) {
            return m.bytes(seed, r);
        }
        byte[] header = java.util.Arrays.copyOfRange(seed, 8, 8 + (int) len);
        byte[] body = java.util.Arrays.copyOfRange(seed, 8 + (int) len, seed.length);
        switch (r.nextInt(3)) {
            case 0 -> header = m.json(header, r);
            case 1 -> body = m.bytes(body, r);
            default -> {
                header = m.json(header, r);
                body = m.bytes(body, r);
            }
        }
        long written = r.nextInt(8) == 0 ? len : header.length;
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(written).put(header).put(body);
        return out.array();
    }

    static FuzzTarget safetensors() throws IOException {
        List<byte[]> seeds = safetensorsSeeds();
        Path f = dir.resolve("fuzz.safetensors");
        FuzzTarget base = FuzzTarget.of("safetensors", Format.BINARY, seeds, input -> {
            Files.write(f, input);
            try (SafetensorsFile st = SafetensorsFile.open(f)) {
                for (String name : st.names()) {
                    if (st.entry(name).dtype() == DType.I64) {
                        st.readLongs(name);
                    } else {
                        st.read(name);
                    }
                }
                st.metadata();
            }
        }, Set.of(SafetensorsException.class));
        return base.mutatedBy(ModelFilesFuzzTest::mutateSafetensors);
    }

    @Test
    void safetensorsHeadersAndBodies() throws IOException {
        check(safetensors());
    }

    // ---- config.json / adapter_config.json ----------------------------------------------------------------------

    static FuzzTarget modelConfig() throws IOException {
        Path seedDir = Files.createDirectories(dir.resolve("seeds/config"));
        List<byte[]> seeds = new java.util.ArrayList<>();
        ModelConfig.llama(64, 96, 2, 8, 2, 300, 128).write(seedDir);
        seeds.add(file(seedDir.resolve(ModelConfig.FILE)));
        seeds.add(("{\"model_type\":\"qwen2\",\"hidden_size\":64,\"intermediate_size\":96,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":8,\"num_key_value_heads\":2,\"vocab_size\":300,\"max_position_embeddings\":"
                + "128,\"rms_norm_eps\":1e-6,\"rope_theta\":1000000.0,\"tie_word_embeddings\":true,\"bos_token_id\":0,"
                + "\"eos_token_id\":[1,2],\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,"
                + "\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":64},"
                + "\"head_dim\":8,\"sliding_window\":null}").getBytes(StandardCharsets.UTF_8));
        Path work = Files.createDirectories(dir.resolve("config"));
        return FuzzTarget.of("model-config", Format.JSON, seeds, input -> {
            Files.write(work.resolve(ModelConfig.FILE), input);
            ModelConfig.read(work);
        }, Set.of(InvalidModelException.class));
    }

    @Test
    void modelConfigJson() throws IOException {
        check(modelConfig());
    }

    static FuzzTarget adapterConfig() throws IOException {
        List<byte[]> seeds = List.of(("{\"peft_type\":\"LORA\",\"r\":8,\"lora_alpha\":16,\"lora_dropout\":0.05,"
                + "\"target_modules\":[\"q_proj\",\"v_proj\"],\"bias\":\"none\",\"base_model_name_or_path\":\"tiny\","
                + "\"task_type\":\"CAUSAL_LM\",\"use_rslora\":false,\"modules_to_save\":null,\"rank_pattern\":{},"
                + "\"alpha_pattern\":{},\"fan_in_fan_out\":false,\"inference_mode\":true}")
                .getBytes(StandardCharsets.UTF_8), ("{\"r\":4,\"lora_alpha\":4.0,\"target_modules\":\"all-linear\","
                + "\"use_rslora\":true,\"use_dora\":false}").getBytes(StandardCharsets.UTF_8));
        Path work = Files.createDirectories(dir.resolve("adapter"));
        return FuzzTarget.of("adapter-config", Format.JSON, seeds, input -> {
            Files.write(work.resolve(AdapterConfig.FILE), input);
            AdapterConfig.read(work);
        }, Set.of(InvalidModelException.class));
    }

    @Test
    void adapterConfigJson() throws IOException {
        check(adapterConfig());
    }

    // ---- tokenizer.json, tokenizer_config.json, chat templates --------------------------------------------------

    static FuzzTarget tokenizerFile() throws IOException {
        Path seed = dir.resolve("seeds/tokenizer.json");
        BpeTrainer trainer = new BpeTrainer(280, List.of("<|endoftext|>", "<|im_end|>"));
        trainer.write(trainer.train(List.of("The cat sat on the mat.", "Hello world, hello there!")), seed);
        Path work = dir.resolve("fuzz-tokenizer.json");
        return FuzzTarget.of("tokenizer-json", Format.JSON, List.of(file(seed)), input -> {
            Files.write(work, input);
            try (TextTokenizer t = TextTokenizer.load(work)) {
                long[] ids = t.encode("The cat sat, héllo <|im_end|> 😀");
                t.decode(ids);
            }
        }, Set.of(InvalidModelException.class));
    }

    @Test
    void tokenizerJson() throws IOException {
        check(tokenizerFile());
    }

    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";
    static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
            + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
            + "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Roles must "
            + "alternate') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = "
            + "'<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}"
            + "{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
            + "{{ ' ' + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
    static final String FILTERS = "{%- set ns = namespace(n=0, last='') -%}{%- for m in messages -%}"
            + "{%- if m.role == 'user' -%}{%- set ns.n = ns.n + 1 -%}{%- set ns.last = m.content -%}{%- endif -%}"
            + "{{ m.role | upper }}: {{ m.content | trim | replace('a', 'b') }}{{ '\\n' if not loop.last }}"
            + "{%- endfor -%}{{ ns.n }} {{ ns.last | length }} {{ messages | map(attribute='role') | join(',') }}"
            + "{% for i in range(3) %}{{ i * 2 }}{% endfor %}{{ (messages|last).content[:3] }}"
            + "{{ {'a': 1, 'b': [1, 2]} | tojson }}{{ 'x' ~ 7 // 2 ~ 7 % 3 }}{{ messages[-1]['content'].split(' ') }}";

    static FuzzTarget chatTemplate() {
        List<byte[]> seeds = List.of(CHATML.getBytes(StandardCharsets.UTF_8), LLAMA2.getBytes(StandardCharsets.UTF_8),
                FILTERS.getBytes(StandardCharsets.UTF_8));
        return FuzzTarget.of("chat-template", Format.TEXT, seeds, input -> {
            ChatTemplate t = ChatTemplate.of(new String(input, StandardCharsets.UTF_8), "<s>", "</s>");
            t.render(CONVERSATION, true);
            t.render(CONVERSATION.subList(1, 2), false);
        }, Set.of(ChatTemplateException.class));
    }

    @Test
    void chatTemplates() throws IOException {
        check(chatTemplate());
    }

    static FuzzTarget tokenizerConfig() throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var a = json.createObjectNode().put("bos_token", "<s>").put("eos_token", "</s>").put("chat_template", LLAMA2);
        var b = json.createObjectNode();
        b.putObject("bos_token").put("content", "<|endoftext|>");
        b.put("eos_token", "<|im_end|>");
        b.putArray("chat_template").addObject().put("name", "default").put("template", CHATML);
        Path work = Files.createDirectories(dir.resolve("tokenizer-config"));
        return FuzzTarget.of("tokenizer-config", Format.JSON, List.of(json.writeValueAsBytes(a),
                json.writeValueAsBytes(b)), input -> {
            Files.write(work.resolve(ChatTemplate.FILE), input);
            var t = ChatTemplate.read(work);
            if (t.isPresent()) {
                t.get().render(CONVERSATION, true);
            }
        }, Set.of(InvalidModelException.class, ChatTemplateException.class));
    }

    @Test
    void tokenizerConfigJson() throws IOException {
        check(tokenizerConfig());
    }
}
