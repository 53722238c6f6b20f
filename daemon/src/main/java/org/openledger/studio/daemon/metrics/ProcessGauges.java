package org.openledger.studio.daemon.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What the kernel says of a process: threads, open file descriptors and resident memory, read from
 * {@code /proc/<pid>} (Linux). Elsewhere every figure is empty and the gauges are left out of a scrape. The load
 * benchmark reads another process's figures with the same code.
 */
public final class ProcessGauges {

    private final Path proc;

    private ProcessGauges(Path proc) {
        this.proc = proc;
    }

    public static ProcessGauges self() {
        return of(ProcessHandle.current().pid());
    }

    public static ProcessGauges of(long pid) {
        return new ProcessGauges(Path.of("/proc", Long.toString(pid)));
    }

    /** Threads of the process (the kernel's count: JVM, native and library threads alike). */
    public OptionalLong threads() {
        return status("Threads:", 1);
    }

    /** Resident set size in bytes. */
    public OptionalLong residentBytes() {
        return status("VmRSS:", 1024);
    }

    /** Open file descriptors (files, sockets, pipes). */
    public OptionalLong openFds() {
        Path fd = proc.resolve("fd");
        if (!Files.isDirectory(fd)) {
            return OptionalLong.empty();
        }
        long n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(fd)) {
            for (Path ignored : s) {
                n++;
            }
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty();
        }
        // the listing itself holds one descriptor while it runs, when the process reads its own table
        return OptionalLong.of(proc.getFileName().toString().equals(Long.toString(ProcessHandle.current().pid()))
                ? n - 1 : n);
    }

    /** The value of one {@code /proc/<pid>/status} line ({@code "VmRSS:   1234 kB"}) times {@code unit}. */
    private OptionalLong status(String key, long unit) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * unit);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The three gauges as Prometheus text (the standard client libraries' names), each only when known. */
    String scrape() {
        StringBuilder out = new StringBuilder(400);
        gauge(out, "process_threads", "Threads of the node's process (kernel count).", threads());
        gauge(out, "process_open_fds", "Open file descriptors of the node's process.", openFds());
        gauge(out, "process_resident_memory_bytes", "Resident memory of the node's process in bytes.",
                residentBytes());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, OptionalLong value) {
        if (value.isPresent()) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
            out.append(name).append(' ').append(value.getAsLong()).append('\n');
        }
    }
}
