package org.openledger.studio.gpu.lora;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.DType;

class AdapterStoreTest {

    @TempDir
    Path dir;

    @Test
    void loadsOnFirstUseEvictsTheLeastRecentlyUsedIdleAdapter() throws Exception {
        Path modelDir = dir.resolve("base");
        ModelConfig c = TinyModels.gqa();
        TinyModels.write(modelDir, c, TinyModels.randomWeights(c, 1), DType.F32);
        Path adapters = dir.resolve("adapters");
        for (String id : List.of("a", "b", "c")) {
            TinyAdapters.random(id, c, 2, 4, EnumSet.of(Projection.Q), false, id.hashCode(), false)
                    .save(adapters.resolve(id));
        }
        Files.createDirectories(adapters.resolve("not-an-adapter"));
        try (BaseModel base = BaseModel.load(modelDir, DeviceScan.ofThisMachine().pick("cpu"));
             AdapterStore store = new AdapterStore(adapters, base, 2)) {
            assertEquals(List.of("a", "b", "c"), store.ids());
            AdapterStore.Lease a = store.lease("a");
            try (AdapterStore.Lease b = store.lease("b")) {
                assertEquals("b", b.weights().id());
            }
            try (AdapterStore.Lease cLease = store.lease("c")) {
                // a is held, so b (idle, least recently used) goes
                assertEquals(List.of("a", "c"), store.idsOnDevice());
            }
            a.close(); // releasing counts as use: c is now the least recently used
            store.lease("b").close();
            assertEquals(List.of("a", "b"), store.idsOnDevice());

            UnknownAdapterException e = assertThrows(UnknownAdapterException.class, () -> store.lease("zzz"));
            assertTrue(e.getMessage().contains("zzz"));
            assertThrows(UnknownAdapterException.class, () -> store.lease("../base"));

            TinyAdapters.random("d", c, 2, 4, EnumSet.of(Projection.Q), false, 9, false).save(adapters.resolve("d"));
            assertTrue(store.ids().contains("d"), "new folders appear without a restart");
            Files.writeString(adapters.resolve("d").resolve("adapter_config.json"),
                    Files.readString(adapters.resolve("d").resolve("adapter_config.json"))
                            .replace("\"r\" : 2", "\"r\" : 3"));
            assertThrows(org.openledger.studio.gpu.model.InvalidModelException.class, () -> store.lease("d"));
        }
    }
}
