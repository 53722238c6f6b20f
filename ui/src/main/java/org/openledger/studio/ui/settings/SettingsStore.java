package org.openledger.studio.ui.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Optional;
import org.openledger.studio.api.Wire;
import org.openledger.studio.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code settings.json} in the config folder. A file that cannot be read is never overwritten: it
 * is moved aside (kept for the user) and the defaults are used, with a notice saying so.
 */
public final class SettingsStore {

    private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper = Wire.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    /** What loading found: the settings to use and, when something was wrong, a notice for the user. */
    public record Loaded(Settings settings, Optional<String> notice) {
    }

    public SettingsStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    public Loaded load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Loaded(Settings.defaults(), Optional.empty());
        } catch (IOException e) {
            return new Loaded(Settings.defaults(), Optional.of("Your settings in " + file + " could not be read ("
                    + e.getMessage() + "); the defaults are in use for this session."));
        }
        try {
            Settings s = mapper.readValue(bytes, Settings.class);
            if (s == null) {
                throw new JsonProcessingException("empty document") {
                };
            }
            return new Loaded(s.withDefaults(), Optional.empty());
        } catch (IOException e) {
            Path kept = file.resolveSibling(file.getFileName() + ".unreadable-" + STAMP.format(clock.instant()));
            try {
                Files.move(file, kept);
            } catch (IOException moveFailed) {
                return new Loaded(Settings.defaults(), Optional.of("Your settings file " + file
                        + " is damaged and could not be moved aside; the defaults are in use and it is left as it is."));
            }
            log.warn("Settings file {} is damaged; kept it as {}", file, kept);
            return new Loaded(Settings.defaults(), Optional.of("Your settings file was damaged, so the defaults are in use."
                    + " The old file is kept as " + kept + "."));
        }
    }

    /**
     * Writes the settings atomically.
     *
     * @throws IOException when the config folder cannot be written
     */
    public void save(Settings settings) throws IOException {
        Folders.writeAtomically(file, mapper.writeValueAsBytes(settings), false);
    }
}
