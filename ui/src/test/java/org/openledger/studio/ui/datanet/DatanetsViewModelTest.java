package org.openledger.studio.ui.datanet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.contribution.ManifestSigner;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.RegistryClient;
import org.openledger.studio.datanet.contribution.SignedManifest;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.workspace.RowStatus;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.signing.TypedData;
import org.openledger.studio.wallet.signing.TypedDataSigner;

/** The Datanets view-model over a real workspace (SQLite) and a real key, against a fake of the node's registry. */
class DatanetsViewModelTest {

    /** anvil's public test account 0. */
    private static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final String FACT = "The river floods the lower valley every spring and the farmers plant rice"
            + " when the water goes down again";

    @TempDir
    Path dir;

    private final FakeRegistry registry = new FakeRegistry();
    private Optional<FakeRegistry> active = Optional.of(registry);
    private Workspace workspace;
    private PrivateKey key;
    private DatanetsViewModel vm;

    @BeforeEach
    void open() {
        workspace = Workspace.open(dir.resolve("workspace.db"));
        try (Secret hex = Secret.of(KEY.toCharArray())) {
            key = PrivateKey.parseHex(hex);
        }
        ManifestSigner signer = new ManifestSigner() {
            @Override
            public String address() {
                return key.address().toString();
            }

            @Override
            public byte[] sign(byte[] digest, String typedDataJson) {
                return new TypedDataSigner().sign(TypedData.parse(typedDataJson), key).bytes();
            }
        };
        vm = new DatanetsViewModel(workspace, () -> active, () -> signer, TestTasks.immediate());
    }

    @AfterEach
    void close() {
        workspace.close();
        key.close();
    }

    @Test
    void addedFilesShowAsRowsWithTheirBadges() throws Exception {
        vm.create("Rivers", "River facts", "CC-BY-4.0");
        assertEquals("Rivers", vm.selectedProperty().get().name());
        assertEquals("Created Rivers", vm.messageProperty().get());
        vm.addFiles(List.of(riversFile()));

        assertEquals(4, vm.rows().size());
        assertTrue(vm.messageProperty().get().startsWith("4 new rows: 1 exact and 0 near duplicate groups, 1 rows"
                + " with secrets or personal data"), vm.messageProperty().get());
        assertEquals(2, vm.rows().stream().filter(r -> r.duplicate().equals("exact")).count());
        assertTrue(vm.rows().stream().anyMatch(r -> r.secrets().contains("email")), "the e-mail row is flagged");
        assertEquals("", vm.errorProperty().get());
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void uploadingWithoutANodeSaysSo() throws Exception {
        addRivers();
        active = Optional.empty();
        vm.upload();
        assertEquals("No node is connected: start the local node or choose one in Nodes", vm.errorProperty().get());
        assertFalse(vm.uploadingProperty().get());
    }

    @Test
    void anUploadSendsEveryChunkSignedForTheNodesDomain() throws Exception {
        addRivers();
        vm.upload();
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.messageProperty().get().matches("Uploaded \\d+ rows to the node"), vm.messageProperty().get());
        SignedManifest m = registry.opened.get(0);
        assertTrue(m.signedByContributor(new org.openledger.studio.datanet.contribution.ManifestDomain(31337,
                FakeRegistry.CONTRACT)), "signed by the wallet's key for the node's registry");
        assertEquals(registry.planned, registry.received, "every planned chunk was sent");
        assertEquals(1, vm.history().size());
        assertEquals(UploadState.Stage.COMPLETE, vm.history().get(0).upload().stage());
        assertFalse(vm.uploadingProperty().get());
    }

    @Test
    void aManifestTheNodeRefusesShowsTheNodesReason() throws Exception {
        addRivers();
        registry.refuseOpen = "the manifest's Merkle root does not match its chunks";
        vm.upload();
        assertTrue(vm.errorProperty().get().contains("the manifest's Merkle root does not match its chunks"),
                vm.errorProperty().get());
        assertFalse(vm.uploadingProperty().get());
    }

    @Test
    void aNodeLostMidUploadIsSaidAndTheNextUploadResumes() throws Exception {
        addRivers();
        registry.failChunks = 1;
        vm.upload();
        assertEquals("Cannot reach the node at http://127.0.0.1:9: Connection refused", vm.errorProperty().get());
        assertFalse(vm.uploadingProperty().get());
        assertTrue(vm.history().get(0).upload().stage() != UploadState.Stage.COMPLETE);

        vm.upload();
        assertTrue(vm.messageProperty().get().startsWith("Uploaded "), vm.messageProperty().get());
        assertEquals(1, registry.opened.size(), "resumed on the same remote upload, not opened again");
        assertEquals(UploadState.Stage.COMPLETE, vm.history().get(0).upload().stage());
    }

    @Test
    void theOnChainStepWithoutAWalletSaysWhatItNeeds() throws Exception {
        addRivers();
        assertFalse(vm.hasChain());
        vm.publish();
        assertEquals("The on-chain step needs the active node's chain to be ready and a wallet (Wallet & Staking)",
                vm.errorProperty().get());
        assertFalse(vm.onChainBusyProperty().get());
    }

    /** Rivers with its four rows, the one with an e-mail address rejected (the upload refuses it otherwise). */
    private void addRivers() throws Exception {
        vm.create("Rivers", "River facts", "CC-BY-4.0");
        vm.addFiles(List.of(riversFile()));
        vm.setStatus(vm.rows().stream().filter(r -> !r.secrets().isEmpty()).map(RowItem::id).toList(),
                RowStatus.REJECTED);
    }

    @Test
    void rowsWithSecretsAreRefusedBeforeAnythingIsSigned() throws Exception {
        vm.create("Rivers", "River facts", "CC-BY-4.0");
        vm.addFiles(List.of(riversFile()));
        vm.upload();
        assertTrue(vm.errorProperty().get().startsWith("1 row(s) contain secrets or personal data"),
                vm.errorProperty().get());
        assertTrue(registry.opened.isEmpty(), "nothing reached the node");
    }

    private Path riversFile() throws Exception {
        return Files.writeString(dir.resolve("rivers.jsonl"), String.join("\n",
                "{\"text\": \"" + FACT + "\"}",
                "{\"text\": \"" + FACT + "\"}",
                "{\"text\": \"Send the flood report to maria.lopez@example.org before Friday please\"}",
                "{\"text\": \"Glaciers feed the upper river through the whole summer season and keep it cold\"}") + "\n",
                StandardCharsets.UTF_8);
    }

    /** The node's registry: takes manifests and chunks, and fails as the test says. */
    private static final class FakeRegistry implements DatanetsApi, RegistryClient {
        static final String CONTRACT = "0x0000000000000000000000000000000000000000";
        final List<SignedManifest> opened = new ArrayList<>();
        final Set<Integer> planned = new HashSet<>();
        final Set<Integer> received = new HashSet<>();
        String refuseOpen;
        int failChunks;
        private int rows;

        @Override
        public RegistryInfo registryInfo() {
            return new RegistryInfo(31337, CONTRACT);
        }

        @Override
        public RegistryClient registry() {
            return this;
        }

        @Override
        public RemoteUpload open(SignedManifest manifest, List<PlannedChunk> chunks) {
            if (refuseOpen != null) {
                throw new ContributionRejectedException(refuseOpen);
            }
            opened.add(manifest);
            chunks.forEach(c -> planned.add(c.index()));
            rows = manifest.manifest().rowCount();
            return new RemoteUpload("remote-1", Set.copyOf(received));
        }

        @Override
        public Set<Integer> receivedChunks(String remoteId) {
            return Set.copyOf(received);
        }

        @Override
        public ChunkReceipt sendChunk(String remoteId, int index, byte[] payload, String hash) {
            if (failChunks > 0) {
                failChunks--;
                throw NodeErrors.unreachable();
            }
            received.add(index);
            return ChunkReceipt.ok();
        }

        @Override
        public ContributionReceipt finish(String remoteId) {
            return new ContributionReceipt(remoteId, "complete", rows);
        }
    }
}
