package dev.meshproof.suites;

import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.Level;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalogue as `meshproof run` and `meshproof verdict` load it: every check declared, every fixture present. */
class CatalogueTest {
    final CheckCatalog catalog = CheckCatalog.load();

    @Test
    void listsEveryCheckOnce() {
        assertThat(catalog.all()).extracting(CheckCatalog.Entry::id).containsExactlyInAnyOrder(
                "mtls-strict-refuses-plaintext", "mtls-ztunnel-reports-mutual-tls", "mtls-sidecar-forwards-client-cert",
                "l4-allow-by-principal", "l4-deny-by-principal", "l4-deny-by-namespace", "l4-deny-by-port", "l4-allow-nothing",
                "l7-allow-by-path-and-method", "l7-deny-by-header", "l7-deny-by-principal-and-method", "l7-rule-without-waypoint-fails-closed",
                "telemetry-trace-export", "telemetry-access-log", "telemetry-waypoint-metrics",
                "route-virtualservice-header", "route-httproute-header", "route-httproute-weighted");
    }

    @Test
    void routingChecksReportUnderGatewayApisMeshHttpProfile() {
        assertThat(catalog.all()).extracting(CheckCatalog.Entry::id).filteredOn(id -> id.startsWith("route-")).hasSize(3)
                .allSatisfy(id -> assertThat(dev.meshproof.report.Profiles.of(id)).isEqualTo(dev.meshproof.report.Profiles.MESH_HTTP));
    }

    @Test
    void everyDeclaredFixtureShipsInTheChecksFolder() {
        for (CheckCatalog.Entry e : catalog.all()) {
            assertThat(e.declaration().fixtures()).as(e.id() + " applies something").isNotEmpty();
            Arrays.stream(e.declaration().fixtures()).forEach(f -> assertThat(getClass().getClassLoader().getResource("checks/" + e.id() + "/" + f))
                    .as(e.id() + ": checks/" + e.id() + "/" + f).isNotNull());
        }
    }

    @Test
    void selectionByIdSkipAndLevel() {
        assertThat(catalog.select(List.of("l4-deny-by-port"), List.of(), Level.EXTENDED)).extracting(CheckCatalog.Entry::id).containsExactly("l4-deny-by-port");
        List<CheckCatalog.Entry> core = catalog.select(List.of(), List.of("l4-deny-by-port"), Level.CORE);
        assertThat(core).extracting(CheckCatalog.Entry::id).hasSize((int) catalog.all().stream().filter(e -> e.declaration().level() == Level.CORE).count() - 1)
                .doesNotContain("l4-deny-by-port").contains("l7-deny-by-header", "route-httproute-header").doesNotContain("telemetry-trace-export");
        assertThat(core).allSatisfy(e -> assertThat(e.declaration().level()).isEqualTo(Level.CORE));
        assertThatThrownBy(() -> catalog.select(List.of("l4-deny-by-typo"), List.of(), Level.EXTENDED))
                .isInstanceOf(MeshproofException.class).hasMessageContaining("unknown check id 'l4-deny-by-typo'");
    }
}
