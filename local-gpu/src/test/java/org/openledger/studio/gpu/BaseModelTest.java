package org.openledger.studio.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.device.InsufficientMemoryException;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.SafetensorsException;
import org.openledger.studio.gpu.tokenizer.ChatMessage;

class BaseModelTest {

    @TempDir
    Path dir;

    @Test
    void loadsAFolderWithTokenizerAndChatTemplate() throws Exception {
        Path folder = dir.resolve("tiny-chat");
        TinyModels.chatModel(folder, 1);
        ComputeDevice cpu = DeviceScan.ofThisMachine().pick("cpu");
        try (BaseModel model = BaseModel.load(folder, cpu)) {
            assertEquals("tiny-chat", model.id());
            assertEquals(300, model.config().vocabSize());
            String prompt = model.chatTemplate().orElseThrow().render(List.of(ChatMessage.user("Hello")), true);
            assertEquals("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", prompt);
            long[] ids = model.requireTokenizer().encode(prompt);
            assertEquals(2, ids[0], "<|im_start|> is one special token");
            assertEquals(prompt, model.requireTokenizer().decode(ids));
        }
    }

    @Test
    void servingLimitsCapTheContextAndTheBatch() throws Exception {
        TinyModels.chatModel(dir, 2);
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"), 2, 64)) {
            assertEquals(64, model.context());
            assertEquals(2, model.memoryPlan().batch());
            var generator = new org.openledger.studio.gpu.generate.Generator(model);
            var tooLong = org.openledger.studio.gpu.generate.GenerationRequest.builder(new long[60]).maxTokens(10).build();
            var e = assertThrows(org.openledger.studio.gpu.generate.InvalidRequestException.class,
                    () -> generator.generate(tooLong, org.openledger.studio.gpu.generate.TokenListener.NONE));
            assertEquals("max_tokens", e.param());
            var ok = org.openledger.studio.gpu.generate.GenerationRequest.builder(new long[] {5}).maxTokens(2).build();
            e = assertThrows(org.openledger.studio.gpu.generate.InvalidRequestException.class,
                    () -> generator.generate(List.of(ok, ok, ok), org.openledger.studio.gpu.generate.TokenListener.NONE));
            assertEquals("n", e.param());
            assertEquals(2, generator.generate(List.of(ok, ok), org.openledger.studio.gpu.generate.TokenListener.NONE).size());
        }
    }

    @Test
    void refusesAModelThatWillNotFitBeforeReadingWeights() throws Exception {
        ModelConfig.llama(4096, 11008, 32, 32, 32, 32000, 4096).write(dir);
        ComputeDevice small = new ComputeDevice("gpu:0", ComputeDevice.Kind.GPU, "small", 8L << 30, 7L << 30, true, "");
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> BaseModel.load(dir, small));
        assertTrue(e.getMessage().contains("GiB"), e.getMessage());
    }

    @Test
    void missingPiecesAreNamed() throws Exception {
        ComputeDevice cpu = DeviceScan.ofThisMachine().pick("cpu");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> BaseModel.load(dir, cpu));
        assertTrue(e.getMessage().contains("config.json"));
        TinyModels.gqa().write(dir);
        SafetensorsException s = assertThrows(SafetensorsException.class, () -> BaseModel.load(dir, cpu));
        assertTrue(s.getMessage().contains("model.safetensors"));
        TinyModels.write(dir, TinyModels.gqa(), TinyModels.randomWeights(TinyModels.gqa(), 2),
                org.openledger.studio.gpu.safetensors.DType.F16);
        try (BaseModel model = BaseModel.load(dir, cpu)) {
            assertTrue(model.tokenizer().isEmpty());
            e = assertThrows(InvalidModelException.class, model::requireTokenizer);
            assertTrue(e.getMessage().contains("token ids"), e.getMessage());
        }
        Files.writeString(dir.resolve("model.safetensors"), "garbage!");
        assertThrows(SafetensorsException.class, () -> BaseModel.load(dir, cpu));
    }
}
