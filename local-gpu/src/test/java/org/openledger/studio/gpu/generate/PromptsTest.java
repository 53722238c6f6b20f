package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.tokenizer.ChatTemplate;

class PromptsTest {

    /** The template `studio model pretrain` writes (fine-tune's Pretraining.CHAT_TEMPLATE). */
    private static final String LINES = "{% for message in messages %}{{ message['role'] | capitalize }}: "
            + "{{ message['content'] | trim }}\n{% endfor %}{% if add_generation_prompt %}Assistant:{% endif %}";

    @Test
    void aLineTemplateEndsTheAssistantsTurnAtTheNextUserLine() throws Exception {
        assertEquals(List.of("\nUser:"), Prompts.endOfTurn(ChatTemplate.of(LINES, "<|endoftext|>", "<|endoftext|>")));
        assertEquals(List.of("\nuser:"), Prompts.endOfTurn(ChatTemplate.of(Prompts.FALLBACK_TEMPLATE, "", "")));
        assertEquals(List.of("\nUser:"), Prompts.endOfTurn(ChatTemplate.of("{{ bos_token }}" + LINES, "<s>", "</s>")),
                "a BOS before the first turn is not part of a later one");
    }

    @Test
    void specialTokenTemplatesEndTheirTurnWithEosInstead() throws Exception {
        String chatMl = "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>' + "
                + "'\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        assertEquals(List.of(), Prompts.endOfTurn(ChatTemplate.of(chatMl, "", "<|im_end|>")));
        String inst = "{% for m in messages %}{% if m['role'] == 'user' %}{{ '[INST] ' + m['content'] + ' [/INST]' }}"
                + "{% else %}{{ m['content'] }}{% endif %}{% endfor %}";
        assertEquals(List.of(), Prompts.endOfTurn(ChatTemplate.of(inst, "<s>", "</s>")));
    }
}
