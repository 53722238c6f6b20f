package org.openledger.studio.daemon.adapters;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openledger.studio.gpu.lora.AdapterStore;

/**
 * The adapters' Prometheus text. Per adapter (only those asked for since the start, so thousands on disk add no
 * series until used): requests and tokens (kept in the registry, so they survive restarts), where requests found it
 * (hits per tier) and where it was not (misses: device and host), seconds spent loading it (sum and count per stage);
 * per tier: adapters, bytes and the bound.
 */
final class AdapterMetrics {

    private AdapterMetrics() {
    }

    static String scrape(List<AdapterRegistry.Entry> entries, List<AdapterStore.Usage> usage,
                         List<AdapterStore.TierUsage> tiers) {
        StringBuilder out = new StringBuilder(2048);
        Map<String, AdapterStore.Usage> byId = new HashMap<>();
        for (AdapterStore.Usage u : usage) {
            byId.put(u.id(), u);
        }
        header(out, "studio_adapter_requests_total", "counter", "Requests served on an adapter.");
        for (AdapterRegistry.Entry e : entries) {
            if (e.requests() > 0 || byId.containsKey(e.id())) {
                line(out, "studio_adapter_requests_total", "{adapter=\"" + esc(e.id()) + "\"}", e.requests());
            }
        }
        header(out, "studio_adapter_tokens_total", "counter", "Completion tokens generated on an adapter.");
        for (AdapterRegistry.Entry e : entries) {
            if (e.requests() > 0 || byId.containsKey(e.id())) {
                line(out, "studio_adapter_tokens_total", "{adapter=\"" + esc(e.id()) + "\"}", e.tokens());
            }
        }
        header(out, "studio_adapter_tier_hits_total", "counter",
                "Requests for an adapter by the tier it was found in (device, host, disk).");
        for (AdapterStore.Usage u : usage) {
            String a = "{adapter=\"" + esc(u.id()) + "\",tier=\"";
            line(out, "studio_adapter_tier_hits_total", a + "device\"}", u.deviceHits());
            line(out, "studio_adapter_tier_hits_total", a + "host\"}", u.hostHits());
            line(out, "studio_adapter_tier_hits_total", a + "disk\"}", u.diskHits());
        }
        header(out, "studio_adapter_tier_misses_total", "counter",
                "Requests for an adapter that was not in a tier (device: not uploaded; host: not in host memory).");
        for (AdapterStore.Usage u : usage) {
            String a = "{adapter=\"" + esc(u.id()) + "\",tier=\"";
            line(out, "studio_adapter_tier_misses_total", a + "device\"}", u.hostHits() + u.diskHits());
            line(out, "studio_adapter_tier_misses_total", a + "host\"}", u.diskHits());
        }
        header(out, "studio_adapter_load_seconds", "summary",
                "Time to load an adapter: disk to host memory, host memory to the device.");
        for (AdapterStore.Usage u : usage) {
            String a = "{adapter=\"" + esc(u.id()) + "\",stage=\"";
            line(out, "studio_adapter_load_seconds_sum", a + "disk_to_host\"}", u.diskToHostSeconds());
            line(out, "studio_adapter_load_seconds_count", a + "disk_to_host\"}", u.diskLoads());
            line(out, "studio_adapter_load_seconds_sum", a + "host_to_device\"}", u.hostToDeviceSeconds());
            line(out, "studio_adapter_load_seconds_count", a + "host_to_device\"}", u.loads());
        }
        header(out, "studio_adapter_tier_bytes", "gauge", "Bytes of adapter tensors in a tier.");
        long disk = 0;
        for (AdapterRegistry.Entry e : entries) {
            disk += e.bytes();
        }
        for (AdapterStore.TierUsage t : tiers) {
            line(out, "studio_adapter_tier_bytes", "{tier=\"" + t.tier().label() + "\"}", t.bytes());
        }
        line(out, "studio_adapter_tier_bytes", "{tier=\"disk\"}", disk);
        header(out, "studio_adapter_tier_bound_bytes", "gauge", "The bound of a tier in bytes.");
        for (AdapterStore.TierUsage t : tiers) {
            line(out, "studio_adapter_tier_bound_bytes", "{tier=\"" + t.tier().label() + "\"}", t.boundBytes());
        }
        header(out, "studio_adapter_tier_adapters", "gauge", "Adapters in a tier (disk: every registered one).");
        for (AdapterStore.TierUsage t : tiers) {
            line(out, "studio_adapter_tier_adapters", "{tier=\"" + t.tier().label() + "\"}", t.adapters());
        }
        line(out, "studio_adapter_tier_adapters", "{tier=\"disk\"}", entries.size());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(String.format(Locale.ROOT, "%.6f", value));
        }
        out.append('\n');
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
