package dev.meshproof.cluster.preflight;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Evidence is written as the kernel shows it: /proc/modules lines, modules.builtin and modules.dep paths. */
class KernelModulesCheckTest {
    @TempDir
    Path tmp;
    Path proc;
    Path lib;

    @BeforeEach
    void files() throws IOException {
        proc = tmp.resolve("modules");
        lib = Files.createDirectories(tmp.resolve("lib/modules/6.8.0"));
    }

    KernelModulesCheck check(List<String> modules, boolean required) {
        return new KernelModulesCheck("test modules", modules, required, "modprobe them", proc, lib);
    }

    void evidence(String procModules, String builtin, String dep) throws IOException {
        Files.writeString(proc, procModules);
        Files.writeString(lib.resolve("modules.builtin"), builtin);
        Files.writeString(lib.resolve("modules.dep"), dep);
    }

    @Test
    void loadedBuiltinAndLoadableModulesAllCount() throws IOException {
        evidence("""
                        xt_mark 12288 2 - Live 0x0000000000000000
                        br_netfilter 32768 0 - Live 0x0000000000000000
                        """,
                "kernel/net/netfilter/x_tables.ko\n",
                "kernel/net/netfilter/xt_connmark.ko.zst: kernel/net/netfilter/nf_conntrack.ko.zst\n");
        CheckResult r = check(List.of("xt_mark", "br_netfilter", "x_tables", "xt_connmark"), true).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(r.detail()).isEqualTo("2 loaded, 1 built in, 1 loadable");
    }

    @Test
    void missingRequiredModuleFailsNamingIt() throws IOException {
        evidence("xt_mark 12288 2 - Live 0x0\n", "", "kernel/net/netfilter/xt_owner.ko.xz:\n");
        CheckResult r = check(List.of("xt_mark", "xt_owner", "ip_set_hash_ip"), true).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(r.detail()).isEqualTo("missing ip_set_hash_ip; 1 loaded, 0 built in, 1 loadable");
        assertThat(r.hint()).isEqualTo("modprobe them");
    }

    @Test
    void missingSupportModuleOnlyWarns() throws IOException {
        evidence("", "", "");
        assertThat(check(List.of("nf_nat_redirect"), false).run().status()).isEqualTo(CheckResult.Status.WARN);
    }

    @Test
    void dashAndUnderscoreAreTheSameModuleName() throws IOException {
        evidence("", "kernel/net/bridge/br-netfilter.ko\n", "");
        assertThat(check(List.of("br_netfilter"), true).run().status()).isEqualTo(CheckResult.Status.OK);
    }

    @Test
    void withoutModuleListsItOnlyWarnsItCannotConfirm() {
        // e.g. a container or a VM kernel without /lib/modules: absence of evidence is not a FAIL
        CheckResult r = check(List.of("xt_mark"), true).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
        assertThat(r.detail()).startsWith("cannot confirm xt_mark (cannot read " + proc);
    }

    @Test
    void istioListsAreTheDocumentedOnes() {
        assertThat(KernelModulesCheck.REQUIRED).hasSize(12).contains("xt_connmark", "xt_mark", "ip_set", "ip_set_hash_ip", "xt_REDIRECT");
        assertThat(KernelModulesCheck.forThisHost()).hasSize(3);
    }
}
