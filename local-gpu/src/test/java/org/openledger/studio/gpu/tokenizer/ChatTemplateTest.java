package org.openledger.studio.gpu.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.model.InvalidModelException;

class ChatTemplateTest {

    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ "
            + "message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + "
            + "content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
            + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
            + "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles "
            + "must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and "
            + "system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + "
            + "message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}"
            + "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
            + "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}"
            + "{% endfor %}";

    @TempDir
    Path dir;

    @Test
    void chatMlAsQwenWritesIt() throws Exception {
        ChatTemplate t = ChatTemplate.of(CHATML, null, "<|im_end|>");
        String out = t.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")), true);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\n", out);
        assertFalse(t.render(List.of(ChatMessage.user("Hi")), false).contains("assistant"));
    }

    @Test
    void llama3WithFilterPrecedenceAndBosOnFirstTurn() throws Exception {
        ChatTemplate t = ChatTemplate.of(LLAMA3, "<|begin_of_text|>", "<|eot_id|>");
        String out = t.render(List.of(ChatMessage.user("  Hello  "), ChatMessage.assistant("Hey")), true);
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHey<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", out);
    }

    @Test
    void llama2SystemPromptSlicesAndRaiseException() throws Exception {
        ChatTemplate t = ChatTemplate.of(LLAMA2, "<s>", "</s>");
        String out = t.render(List.of(ChatMessage.system("Sys"), ChatMessage.user("Q1 "), ChatMessage.assistant("A1"),
                ChatMessage.user("Q2")), true);
        assertEquals("<s>[INST] <<SYS>>\nSys\n<</SYS>>\n\nQ1 [/INST] A1 </s><s>[INST] Q2 [/INST]", out);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertTrue(e.getMessage().startsWith("Conversation roles must alternate"));
    }

    @Test
    void trimBlocksAndLstripBlocksAsTransformersConfiguresJinja() throws Exception {
        String src = """
                {% for message in messages %}
                    {% if message.role == 'user' %}
                User: {{ message.content }}
                    {% else %}
                Bot: {{ message.content }}
                    {% endif %}
                {% endfor %}
                {%- if add_generation_prompt -%}
                Bot:
                {%- endif %}""";
        ChatTemplate t = ChatTemplate.of(src, "", "");
        assertEquals("User: hi\nBot: hello\nBot:",
                t.render(List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello")), true));
    }

    @Test
    void namespacesTestsFiltersAndMethods() throws Exception {
        String src = "{% set ns = namespace(n=0, last='') %}{% for m in messages %}{% if m.role == 'user' %}"
                + "{% set ns.n = ns.n + 1 %}{% set ns.last = m.content %}{% endif %}{% endfor %}"
                + "{{ ns.n }}|{{ ns.last | upper }}|{{ messages | length }}|{{ undefined_thing is defined }}|"
                + "{{ messages[-2].content.startswith('x') }}|{{ 'a,b' .split(',') | join('+') }}|"
                + "{{ 7 // 2 }}{{ 'yes' if messages[0].role in ['user', 'system'] else 'no' }}|{{ messages[0] | tojson }}";
        ChatTemplate t = ChatTemplate.of(src, "", "");
        assertEquals("2|SECOND|3|False|True|a+b|3yes|{\"role\":\"user\",\"content\":\"first\"}",
                t.render(List.of(ChatMessage.user("first"), ChatMessage.assistant("x"), ChatMessage.user("second")),
                        false));
    }

    @Test
    void readsTheTemplateFromTokenizerConfig() throws Exception {
        assertTrue(ChatTemplate.read(dir).isEmpty());
        String json = "{\"bos_token\":{\"content\":\"<s>\"},\"eos_token\":\"</s>\",\"chat_template\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(LLAMA2) + "}";
        Files.writeString(dir.resolve("tokenizer_config.json"), json);
        ChatTemplate t = ChatTemplate.read(dir).orElseThrow();
        assertEquals("<s>", t.bosToken());
        assertEquals("<s>[INST] x [/INST]", t.render(List.of(ChatMessage.user("x")), true));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\":\"{% macro x() %}{% endmacro %}\"}");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ChatTemplate.read(dir));
        assertTrue(e.getMessage().contains("macro"), e.getMessage());
    }

    @Test
    void brokenTemplatesAreRefusedWithAMessage() {
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("{% for m in messages %}", "", ""));
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("{{ 'unterminated }}", "", ""));
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("{% if x %}", "", ""));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{{ messages | frobnicate }}", "", "").render(List.of(), false));
        assertTrue(e.getMessage().contains("frobnicate"));
    }
}
