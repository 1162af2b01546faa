package dev.meshproof.cluster.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kernel modules ztunnel and istio-cni need on the node's (here: the Docker host's) kernel; a container cannot
 * bring its own (istio/istio.io:content/en/docs/ops/deployment/platform-requirements/index.md).
 * A module counts as present when it is loaded ({@code /proc/modules}), built in
 * ({@code /lib/modules/<release>/modules.builtin}) or loadable on demand ({@code modules.dep}: iptables asks the
 * kernel to load it when a rule first needs it).
 */
public final class KernelModulesCheck implements Check {

    /** The iptables backend's modules, ambient-specific ones included (the default; Istio's required list). */
    public static final List<String> REQUIRED = List.of("br_netfilter", "iptable_mangle", "iptable_nat", "xt_REDIRECT",
            "xt_conntrack", "xt_owner", "xt_tcpudp", "xt_multiport", "xt_connmark", "xt_mark", "ip_set", "ip_set_hash_ip");
    /** Support modules the same page lists; kernels merge or rename some of them, so missing ones only warn. */
    public static final List<String> SUPPORT = List.of("bridge", "ip_tables", "nf_conntrack", "nf_nat", "nf_nat_redirect", "x_tables");
    /**
     * Only needed with IPv6, which ambient enables by default
     * ({@code ambient.ipv6=true}: istio/istio@1.29.6:manifests/charts/istio-cni/values.yaml).
     */
    public static final List<String> IPV6 = List.of("ip6_tables", "ip6table_mangle", "ip6table_nat");

    private final String description;
    private final List<String> modules;
    private final boolean required;
    private final String hint;
    private final Path procModules;
    private final Path modulesDir;

    public KernelModulesCheck(String description, List<String> modules, boolean required, String hint, Path procModules, Path modulesDir) {
        this.description = description;
        this.modules = modules;
        this.required = required;
        this.hint = hint;
        this.procModules = procModules;
        this.modulesDir = modulesDir;
    }

    /** The three checks for this machine's running kernel. */
    public static List<Check> forThisHost() {
        Path proc = Path.of("/proc/modules");
        Path lib = Path.of("/lib/modules", System.getProperty("os.version"));
        return List.of(
                new KernelModulesCheck("iptables modules for ztunnel and istio-cni", REQUIRED, true,
                        "load them on the Docker host: sudo modprobe -a " + String.join(" ", REQUIRED), proc, lib),
                new KernelModulesCheck("netfilter support modules", SUPPORT, false,
                        "load them on the Docker host: sudo modprobe -a " + String.join(" ", SUPPORT), proc, lib),
                new KernelModulesCheck("IPv6 netfilter modules", IPV6, false,
                        "load them (sudo modprobe -a " + String.join(" ", IPV6) + ") or install with ambient.ipv6=false", proc, lib));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public CheckResult run() {
        Optional<Set<String>> loaded = names(procModules, true);
        Optional<Set<String>> builtin = names(modulesDir.resolve("modules.builtin"), false);
        Optional<Set<String>> loadable = names(modulesDir.resolve("modules.dep"), false);
        List<String> missing = new ArrayList<>();
        int nLoaded = 0, nBuiltin = 0, nLoadable = 0;
        for (String m : modules) {
            String key = normalize(m);
            if (loaded.orElse(Set.of()).contains(key)) {
                nLoaded++;
            } else if (builtin.orElse(Set.of()).contains(key)) {
                nBuiltin++;
            } else if (loadable.orElse(Set.of()).contains(key)) {
                nLoadable++;
            } else {
                missing.add(m);
            }
        }
        String found = nLoaded + " loaded, " + nBuiltin + " built in, " + nLoadable + " loadable";
        if (missing.isEmpty()) {
            return CheckResult.ok(found);
        }
        if (loaded.isEmpty() || builtin.isEmpty() || loadable.isEmpty()) {
            // Without all three sources "missing" only means "not seen": do not claim more than the evidence shows.
            List<String> unread = new ArrayList<>();
            if (loaded.isEmpty()) unread.add(procModules.toString());
            if (builtin.isEmpty()) unread.add(modulesDir.resolve("modules.builtin").toString());
            if (loadable.isEmpty()) unread.add(modulesDir.resolve("modules.dep").toString());
            return CheckResult.warn("cannot confirm " + String.join(", ", missing) + " (cannot read " + String.join(", ", unread) + "); " + found,
                    hint);
        }
        String detail = "missing " + String.join(", ", missing) + "; " + found;
        return required ? CheckResult.fail(detail, hint) : CheckResult.warn(detail, hint);
    }

    /**
     * Module names from {@code /proc/modules} (first field) or from modules.builtin / modules.dep (file paths such as
     * {@code kernel/net/netfilter/xt_mark.ko.zst}, before any {@code :}); '-' and '_' are the same to the kernel.
     */
    static Optional<Set<String>> names(Path file, boolean procFormat) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return Optional.of(lines.map(String::strip).filter(l -> !l.isEmpty()).map(l -> {
                String token = procFormat ? l.split("\\s+", 2)[0] : l.split(":", 2)[0];
                String base = token.substring(token.lastIndexOf('/') + 1);
                int ko = base.indexOf(".ko");
                return normalize(ko < 0 ? base : base.substring(0, ko));
            }).collect(Collectors.toSet()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    static String normalize(String module) {
        return module.replace('-', '_');
    }
}
