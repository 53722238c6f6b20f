package org.openledger.studio.app.desktop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.stage.Stage;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.StorageException;
import org.openledger.studio.ui.finetune.FineTuneView;
import org.openledger.studio.ui.finetune.FineTuneViewModel;
import org.openledger.studio.ui.finetune.LocalDatanet;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.ui.nodes.NodeDirectory;
import org.openledger.studio.ui.nodes.NodesView;
import org.openledger.studio.ui.nodes.NodesViewModel;
import org.openledger.studio.ui.playground.PlaygroundView;
import org.openledger.studio.ui.playground.PlaygroundViewModel;
import org.openledger.studio.ui.section.PlannedSectionView;
import org.openledger.studio.ui.settings.Preferences;
import org.openledger.studio.ui.settings.SettingsStore;
import org.openledger.studio.ui.settings.StudioDatabase;
import org.openledger.studio.ui.shell.FirstFrame;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.shell.Section;
import org.openledger.studio.ui.shell.Shell;
import org.openledger.studio.ui.shell.StatusBar;
import org.openledger.studio.ui.shell.StudioWindow;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the desktop studio: builds every part by hand, in order, and takes them down in reverse.
 * Runs on the FX thread.
 */
public final class Desktop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Desktop.class);

    private final ExecutorService taskExecutor = Executors.newCachedThreadPool(named("studio-task"));
    private final ExecutorService checkExecutor = Executors.newFixedThreadPool(2, named("node-check"));
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(named("node-poll"));
    private final ExecutorService settingsWriter = Executors.newSingleThreadExecutor(named("settings-writer"));
    private final OkHttpClient http = NodeClient.defaultHttp();

    private final Notices notices = new Notices();
    private final Preferences preferences;
    private final Database database;
    private final LocalNode localNode;
    private final NodesViewModel<NodeClient> nodes;
    private final Shell shell;
    private final StudioWindow window;
    private final BackgroundTasks tasks;
    /** Checks of nodes and reads of the chain and of a node's adapters: not listed in the status bar. */
    private final BackgroundTasks checks;
    private final Path datanetWorkspaceFile;
    private org.openledger.studio.datanet.workspace.Workspace datanetWorkspace;
    private PlaygroundViewModel playgroundModel;
    private final org.openledger.studio.ui.wallet.ChainStatus chainStatus;
    private final Path walletFolder;
    private org.openledger.studio.ui.wallet.WalletViewModel walletModel;
    private volatile org.openledger.studio.wallet.Wallet wallet;

    private Desktop(Stage stage, AppDirs dirs, LocalNodeFactory localNodeFactory) {
        SettingsStore settingsStore = new SettingsStore(dirs.config().resolve("settings.json"), Clock.systemUTC());
        SettingsStore.Loaded loaded = settingsStore.load();
        loaded.notice().ifPresent(n -> notices.post(Notices.Level.WARNING, n));
        preferences = new Preferences(settingsStore, loaded.settings(), settingsWriter, notices);
        database = openDatabase(dirs);
        datanetWorkspaceFile = org.openledger.studio.app.cli.datanet.WorkspaceOptions.workspaceFile(dirs);
        tasks = new BackgroundTasks(taskExecutor);
        walletFolder = dirs.data().resolve("wallet");
        localNode = localNodeFactory.create(dirs, http);
        // checks of nodes and of the chain run every few seconds: their own tasks, not listed in the status bar
        checks = new BackgroundTasks(checkExecutor);
        nodes = new NodesViewModel<>(new NodeDirectory(database, Clock.systemUTC()), localNode,
                new org.openledger.studio.ui.nodes.PinningConnector(http), tasks, checks, poller, notices,
                preferences.current().activeNodeId(),
                id -> preferences.update(s -> s.withActiveNode(id)));
        final StudioWindow[] w = new StudioWindow[1];
        StatusBar statusBar = new StatusBar(nodes, tasks,
                "Chain: not connected (the wallet and local chain are not built yet)", () -> w[0].toggleTheme());
        chainStatus = new org.openledger.studio.ui.wallet.ChainStatus(nodes::activeClient, checks, poller);
        if (statusBar.lookup("#status-chain") instanceof javafx.scene.control.Label chainLabel) {
            chainLabel.textProperty().bind(chainStatus.textProperty());
        }
        shell = new Shell(this::view, notices, statusBar, s -> preferences.update(p -> p.withSection(s.name())));
        window = new StudioWindow(stage, shell, preferences);
        w[0] = window;
        shell.show(Section.parse(preferences.current().section()));
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> close());
    }

    /** How the desktop gets its local node; tests and the benchmark pass their own. */
    @FunctionalInterface
    public interface LocalNodeFactory {
        LocalNode create(AppDirs dirs, OkHttpClient http);

        /** The real one: {@code studio daemon} as a child process. */
        static LocalNodeFactory childProcess() {
            return (dirs, http) -> new EmbeddedNode(dirs.nodeData(), dirs.logs().resolve("node.log"), http,
                    nodeJvmOptions());
        }

        /** The embedded node's JVM options; it finds anvil where the studio was told to look. */
        private static List<String> nodeJvmOptions() {
            List<String> options = new java.util.ArrayList<>(List.of("-Xss2m", "-Dai.djl.offline=true"));
            String chainTools = System.getProperty("openledger.chainTools");
            if (chainTools != null) {
                options.add("-Dopenledger.chainTools=" + chainTools);
            }
            return options;
        }
    }

    /**
     * Builds the desktop on {@code stage}, shows it, and starts the local node once the first frame is drawn (on two
     * cores the node's JVM start would otherwise compete with the window's first frame). Call on the FX thread.
     */
    public static Desktop open(Stage stage, AppDirs dirs, LocalNodeFactory localNodeFactory) {
        Desktop d = new Desktop(stage, dirs, localNodeFactory);
        stage.show();
        FirstFrame.then(stage.getScene(), () -> {
            d.nodes.startLocalNode();
            d.nodes.startPolling();
            d.chainStatus.start();
        });
        return d;
    }

    public NodesViewModel<NodeClient> nodes() {
        return nodes;
    }

    public Notices notices() {
        return notices;
    }

    public Shell shell() {
        return shell;
    }

    public StudioWindow window() {
        return window;
    }

    public LocalNode localNode() {
        return localNode;
    }

    private Node view(Section s) {
        return switch (s) {
            case NODES -> new NodesView(nodes, new org.openledger.studio.ui.nodes.NodeAdaptersViewModel(nodes::clientOf,
                    tasks, checks, org.openledger.studio.ui.nodes.NodeAdaptersViewModel.Ticker.on(poller, checks),
                    System::nanoTime));
            case DATANETS -> datanets();
            case FINE_TUNE -> fineTune();
            case PLAYGROUND -> playground();
            case ATTRIBUTION -> attribution();
            case WALLET -> wallet();
        };
    }

    /** The Attribution section over the active node; "Open in Datanets" goes to the Datanets section. */
    private Node attribution() {
        org.openledger.studio.ui.attribution.AttributionViewModel vm =
                new org.openledger.studio.ui.attribution.AttributionViewModel(nodes::activeClient, tasks);
        onNodeChange(vm::refresh);
        // earnings are the wallet's accounts'; their claim goes through the wallet's own review
        org.openledger.studio.ui.wallet.WalletViewModel w = walletModel();
        Node earnings;
        if (w == null) {
            javafx.scene.control.Label none = new javafx.scene.control.Label("Earnings are shown for the wallet's accounts: the wallet folder " + walletFolder
                    + " cannot be used: " + walletError);
            none.setId("earnings-status");
            none.setWrapText(true);
            earnings = none;
        } else {
            org.openledger.studio.ui.attribution.EarningsViewModel ev =
                    new org.openledger.studio.ui.attribution.EarningsViewModel(nodes::activeClient, tasks, w);
            onNodeChange(ev::refresh);
            earnings = new org.openledger.studio.ui.attribution.EarningsPane(ev,
                    new org.openledger.studio.ui.wallet.TransactionReviewPane(w, "earnings"));
        }
        return new org.openledger.studio.ui.attribution.AttributionView(vm, row -> shell.show(Section.DATANETS),
                earnings);
    }

    private Node playground() {
        return new PlaygroundView(playgroundModel());
    }

    /** One Playground model, built on first use: the Fine-tune section opens adapters in it. */
    private PlaygroundViewModel playgroundModel() {
        if (playgroundModel == null) {
            PlaygroundViewModel vm = new PlaygroundViewModel(nodes::activeClient, tasks);
            vm.setOpenInDatanets(row -> shell.show(Section.DATANETS));
            onNodeChange(vm::refreshModels);
            playgroundModel = vm;
        }
        return playgroundModel;
    }

    /** Runs {@code refresh} when another node is made active or the local node (being active) connects. */
    private void onNodeChange(Runnable refresh) {
        // a node that just connected, or another node made active, may serve other models
        nodes.activeProperty().addListener((o, a, b) -> refresh.run());
        nodes.localRow().stateProperty().addListener((o, a, b) -> {
            if (b == ConnectionState.CONNECTED && nodes.activeProperty().get() == nodes.localRow()) {
                refresh.run();
            }
        });
    }

    /**
     * Fine-tune over the active node. Its Datanets are the workspace's Datanets the node holds rows of: the node
     * lists no Datanets of its own, and the Datanets view uploads each under its workspace id (see
     * {@code DatanetsViewModel.upload}), so that id is the one the node knows.
     */
    private Node fineTune() {
        // publishing an adapter goes through the wallet's own review, signed by the account unlocked there
        org.openledger.studio.ui.wallet.WalletViewModel w = walletModel();
        FineTuneViewModel vm = new FineTuneViewModel(nodes::activeClient, tasks,
                () -> datanetWorkspace().datanets().list().stream()
                        .map(d -> new LocalDatanet(String.valueOf(d.id()), d.name())).toList(),
                adapter -> {
                    shell.show(Section.PLAYGROUND);
                    playgroundModel().use(adapter);
                }, w, w == null ? List.of() : List.of(w.selectedProperty(), w.unlockedProperty(),
                        chainStatus.infoProperty()));
        onNodeChange(vm::refresh);
        return new FineTuneView(vm, w == null ? null : new org.openledger.studio.ui.wallet.TransactionReviewPane(w,
                "finetune"));
    }

    /** The local Datanet workspace, opened on first use (from the FX thread or a background task). */
    private synchronized org.openledger.studio.datanet.workspace.Workspace datanetWorkspace() {
        if (datanetWorkspace == null) {
            datanetWorkspace = org.openledger.studio.datanet.workspace.Workspace.open(datanetWorkspaceFile);
        }
        return datanetWorkspace;
    }

    /** The Datanets section over the local workspace (the file `studio datanet` uses), opened on first view. */
    private Node datanets() {
        org.openledger.studio.datanet.workspace.Workspace workspace;
        try {
            workspace = datanetWorkspace();
        } catch (RuntimeException e) {
            log.warn("Cannot open the Datanet workspace {}: {}", datanetWorkspaceFile, e.getMessage());
            return new PlannedSectionView(Section.DATANETS, "The Datanet workspace " + datanetWorkspaceFile
                    + " cannot be opened: " + e.getMessage());
        }
        // the on-chain step goes through the wallet's own review, signed by the account unlocked there
        org.openledger.studio.ui.wallet.WalletViewModel w = walletModel();
        return new org.openledger.studio.ui.datanet.DatanetsView(new org.openledger.studio.ui.datanet.DatanetsViewModel(
                workspace, () -> nodes.activeClient().map(org.openledger.studio.ui.datanet.DatanetsApi::of),
                this::contributionSigner, tasks, w),
                w == null ? null : new org.openledger.studio.ui.wallet.TransactionReviewPane(w, "datanet"));
    }

    /**
     * The account selected and unlocked in Wallet &amp; Staking signs contributions; its key is used only inside the
     * wallet's {@code withKey} and never kept here.
     */
    private org.openledger.studio.datanet.contribution.ManifestSigner contributionSigner() {
        org.openledger.studio.wallet.Wallet w = wallet;
        org.openledger.studio.wallet.Account account = walletModel == null ? null : walletModel.selectedProperty().get();
        if (w == null || account == null || !w.isUnlocked(account.address())) {
            throw new org.openledger.studio.datanet.contribution.SigningRefusedException("Select and unlock an account "
                    + "in Wallet & Staking to sign the contribution");
        }
        org.openledger.studio.wallet.Address address = account.address();
        return new org.openledger.studio.datanet.contribution.ManifestSigner() {
            @Override
            public String address() {
                return address.toString();
            }

            @Override
            public byte[] sign(byte[] digest, String typedDataJson) {
                return w.withKey(address, key -> new org.openledger.studio.app.cli.datanet.KeyManifestSigner(key)
                        .sign(digest, typedDataJson));
            }
        };
    }

    /**
     * Wallet &amp; Staking over the studio's own wallet ({@code <data>/wallet}: keystores never go to a node), built on
     * first view; keys unused for 5 minutes are wiped by a timer.
     */
    private Node wallet() {
        if (walletModel() == null) {
            return new PlannedSectionView(Section.WALLET, "The wallet folder " + walletFolder
                    + " cannot be used: " + walletError);
        }
        return new org.openledger.studio.ui.wallet.WalletView(walletModel);
    }

    private String walletError;

    /** The wallet's view-model, made once (the Wallet and Datanets sections share it); null when unusable. */
    private org.openledger.studio.ui.wallet.WalletViewModel walletModel() {
        if (walletModel == null) {
            org.openledger.studio.wallet.Wallet w;
            try {
                w = new org.openledger.studio.wallet.Wallet(walletFolder, new org.openledger.studio.wallet.Keystore(
                        org.openledger.studio.wallet.ScryptParams.STANDARD, new java.security.SecureRandom()),
                        Clock.systemUTC(), java.time.Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                log.warn("Cannot open the wallet folder {}: {}", walletFolder, e.getMessage());
                walletError = e.getMessage();
                return null;
            }
            wallet = w;
            walletModel = new org.openledger.studio.ui.wallet.WalletViewModel(w, walletFolder.resolve("transactions.db"),
                    nodes::activeClient, chainStatus, tasks, notices);
            org.openledger.studio.ui.wallet.WalletViewModel vm = walletModel;
            poller.scheduleWithFixedDelay(() -> javafx.application.Platform.runLater(vm::lockIfIdle), 15, 15,
                    java.util.concurrent.TimeUnit.SECONDS);
        }
        return walletModel;
    }

    /** The studio's database, or a throw-away one (with a notice) when the data folder cannot be used. */
    private Database openDatabase(AppDirs dirs) {
        try {
            return StudioDatabase.open(dirs.data());
        } catch (StorageException e) {
            log.warn("Cannot use the data folder: {}", e.getMessage());
            try {
                Path tmp = Files.createTempDirectory("openledger-studio-");
                notices.post(Notices.Level.ERROR, e.getMessage() + ". The studio runs with a temporary folder ("
                        + tmp + "): nodes you add now will not be kept. Fix the folder's permissions and restart.");
                return StudioDatabase.open(tmp);
            } catch (java.io.IOException io) {
                throw new StorageException("Neither the data folder nor a temporary folder can be used: "
                        + e.getMessage(), io);
            }
        }
    }

    private boolean closed;

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        window.rememberBounds();
        nodes.stop();
        poller.shutdownNow();
        checkExecutor.shutdownNow();
        taskExecutor.shutdownNow();
        localNode.stop();
        if (walletModel != null) {
            walletModel.close();
        }
        settingsWriter.shutdown();
        try {
            settingsWriter.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        preferences.flush();
        synchronized (this) {
            if (datanetWorkspace != null) {
                datanetWorkspace.close();
            }
        }
        database.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
