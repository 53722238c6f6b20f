package org.openledger.studio.gpu.lora;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsException;

/** The store's tiers: bounds in bytes, loads off the caller's thread, versions, broken files. */
class AdapterTiersTest {

    @TempDir
    static Path dir;
    static ModelConfig c;
    static BaseModel base;
    static Path adapters;
    static long oneAdapter;

    @BeforeAll
    static void model() throws Exception {
        c = TinyModels.gqa();
        Path modelDir = dir.resolve("base");
        TinyModels.write(modelDir, c, TinyModels.randomWeights(c, 1), DType.F32);
        base = BaseModel.load(modelDir, DeviceScan.ofThisMachine().pick("cpu"));
        adapters = dir.resolve("adapters");
        for (String id : List.of("a", "b", "c", "d")) {
            save(id, id.hashCode());
        }
        oneAdapter = AdapterStore.deviceBytes(Adapter.load(adapters.resolve("a")));
    }

    @AfterAll
    static void close() {
        base.close();
    }

    static Adapter save(String id, long seed) throws Exception {
        Adapter a = TinyAdapters.random(id, c, 2, 4, EnumSet.of(Projection.Q, Projection.V), false, seed, false);
        a.save(adapters.resolve(id));
        return a;
    }

    @Test
    void boundsInBytesEvictTheLeastRecentlyUsedIdleAdapterPerTier() throws Exception {
        // room for two adapters on the device and three in host memory
        var limits = AdapterStore.Limits.ofBytes(3 * oneAdapter + 1, 2 * oneAdapter + 1);
        try (AdapterStore store = new AdapterStore(adapters, base, limits, AdapterStore.fileStamps(adapters))) {
            AdapterStore.Lease a = store.lease("a");
            assertEquals(AdapterStore.Tier.DISK, a.foundIn());
            store.lease("b").close();
            try (AdapterStore.Lease cl = store.lease("c")) {
                assertEquals(List.of("a", "c"), store.idsOnDevice(), "a is held, so idle b leaves the device");
                assertEquals(List.of("a", "b", "c"), store.idsInHost());
            }
            var device = store.tiers().get(0);
            assertEquals(2, device.adapters());
            assertEquals(2 * oneAdapter, device.bytes());
            try (AdapterStore.Lease b = store.lease("b")) {
                assertEquals(AdapterStore.Tier.HOST, b.foundIn(), "b left the device but stayed in host memory");
            }
            store.lease("d").close(); // a fourth in host memory: the least recently used there (a) goes
            assertEquals(List.of("b", "d"), store.idsInHost().subList(1, 3));
            assertFalse(store.idsInHost().contains("a"));
            assertTrue(store.idsOnDevice().contains("a"), "held adapters stay on the device");
            a.close();
            try (AdapterStore.Lease again = store.lease("a")) {
                assertEquals(AdapterStore.Tier.DEVICE, again.foundIn());
            }
            var usage = store.usage().stream().filter(u -> u.id().equals("b")).findFirst().orElseThrow();
            assertEquals(1, usage.diskHits());
            assertEquals(1, usage.hostHits());
            assertEquals(2, usage.loads());
        }
    }

    @Test
    void aColdLoadBehindAGateLeavesWarmLeasesFree() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService loads = Executors.newSingleThreadExecutor();
        try (AdapterStore store = new AdapterStore(adapters, base, AdapterStore.Limits.ofCount(8),
                AdapterStore.fileStamps(adapters), loads)) {
            store.lease("a").close();
            loads.execute(() -> { // the fault: the loader is busy until the test says so
                started.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            started.await();
            CompletableFuture<AdapterStore.Lease> cold = store.acquire("c");
            store.prefetch("d");
            assertFalse(cold.isDone(), "c waits for the loader");
            assertTrue(store.inUse("c"), "a request waiting for c counts as using it");
            CompletableFuture<AdapterStore.Lease> warm = store.acquire("a");
            assertTrue(warm.isDone(), "a is on the device: its lease is there at once");
            warm.get().close();
            gate.countDown();
            try (AdapterStore.Lease cl = cold.get(30, TimeUnit.SECONDS)) {
                assertEquals("c", cl.weights().id());
            }
            for (int i = 0; i < 100 && !store.idsOnDevice().contains("d"); i++) {
                Thread.sleep(50);
            }
            assertTrue(store.idsOnDevice().contains("d"), "prefetched");
            assertEquals(AdapterStore.Tier.DEVICE, store.lease("d").foundIn());
        }
    }

    @Test
    void aReplacedAdapterIsNeverServedStale() throws Exception {
        save("r", 1);
        try (AdapterStore store = new AdapterStore(adapters, base, AdapterStore.Limits.ofCount(8),
                AdapterStore.fileStamps(adapters))) {
            AdapterStore.Lease old = store.lease("r");
            float[] before = old.weights().pair(0, Projection.Q).down().toFloatArray();
            Path fresh = dir.resolve("fresh");
            Adapter replacement = TinyAdapters.random("r", c, 2, 4, EnumSet.of(Projection.Q, Projection.V), false,
                    2, false);
            replacement.save(fresh);
            Path gone = dir.resolve("old-r");
            Files.move(adapters.resolve("r"), gone, StandardCopyOption.ATOMIC_MOVE);
            Files.move(fresh, adapters.resolve("r"), StandardCopyOption.ATOMIC_MOVE);
            try (AdapterStore.Lease now = store.lease("r")) {
                assertNotEquals(old.version(), now.version());
                assertEquals(AdapterStore.Tier.DISK, now.foundIn(), "the new files are read, not the cached weights");
                float[] after = now.weights().pair(0, Projection.Q).down().toFloatArray();
                assertFalse(java.util.Arrays.equals(before, after));
                // A [r, in] uploaded as Aᵀ [in, r]
                float[] a = replacement.factors().get(new Adapter.Site(0, Projection.Q)).a().values();
                assertEquals(a[1], after[2], 0f); // A[0][1] is Aᵀ[1][0], at 1 · r
                // the request holding the old weights still reads them
                assertArrayEquals(before, old.weights().pair(0, Projection.Q).down().toFloatArray());
            }
            old.close();
            store.unload("r");
            assertFalse(store.idsOnDevice().contains("r"));
        }
    }

    @Test
    void aCorruptFileFailsItsRequestsMarksItBrokenAndTheRestServe() throws Exception {
        save("x", 5);
        Path weights = adapters.resolve("x").resolve(Adapter.WEIGHTS_FILE);
        byte[] good = Files.readAllBytes(weights);
        byte[] bad = good.clone();
        bad[0] = (byte) 0xFF; // header length beyond the file
        bad[7] = (byte) 0x7F;
        Files.write(weights, bad);
        try (AdapterStore store = new AdapterStore(adapters, base, AdapterStore.Limits.ofCount(8),
                AdapterStore.fileStamps(adapters))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> store.acquire("x").get(30, TimeUnit.SECONDS));
            assertInstanceOf(SafetensorsException.class, e.getCause());
            CompletableFuture<AdapterStore.Lease> again = store.acquire("x");
            assertTrue(again.isCompletedExceptionally(), "broken until its files change: no second load");
            try (AdapterStore.Lease a = store.lease("a")) {
                assertEquals("a", a.weights().id());
            }
            Files.write(weights, good);
            Files.setLastModifiedTime(weights, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 5_000));
            store.lease("x").close();
        }
    }

    @Test
    void anAdapterLargerThanTheDeviceBoundIsRefused() throws Exception {
        try (AdapterStore store = new AdapterStore(adapters, base, AdapterStore.Limits.ofBytes(1 << 30,
                oneAdapter - 1), AdapterStore.fileStamps(adapters))) {
            AdapterTooLargeException e = assertThrows(AdapterTooLargeException.class, () -> store.lease("a"));
            assertTrue(e.getMessage().contains("--adapter-device-bytes"), e.getMessage());
            assertThrows(UnknownAdapterException.class, () -> store.lease("../a"));
            assertThrows(UnknownAdapterException.class, () -> store.lease("nope"));
        }
    }

    @Test
    void oneFlatUploadHoldsTheSameFactorsAsOnePerSite() throws Exception {
        Adapter a = Adapter.load(adapters.resolve("b"));
        try (AdapterWeights flat = AdapterWeights.uploadFlat(a, base); AdapterWeights each = base.upload(a)) {
            for (int l = 0; l < c.numLayers(); l++) {
                for (Projection p : List.of(Projection.Q, Projection.V)) {
                    assertArrayEquals(each.pair(l, p).down().toFloatArray(), flat.pair(l, p).down().toFloatArray());
                    assertArrayEquals(each.pair(l, p).up().toFloatArray(), flat.pair(l, p).up().toFloatArray());
                    assertEquals(each.pair(l, p).up().getShape(), flat.pair(l, p).up().getShape());
                }
            }
        }
    }
}
