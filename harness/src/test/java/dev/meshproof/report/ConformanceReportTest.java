package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The model is Gateway API's: a report Istio published reads into it and writes back to the same document. */
class ConformanceReportTest {
    private static final Path ISTIO_1_28 = Path.of("src/test/resources/upstream/gateway-api-conformance-report-istio-1.28.0.yaml");

    @Test
    void aRealPublishedReportRoundTripsThroughTheModel() throws Exception {
        String original = Files.readString(ISTIO_1_28);
        ConformanceReport report = ConformanceReports.fromYaml(original);

        assertThat(report.kind()).isEqualTo("ConformanceReport");
        assertThat(report.implementation().version()).isEqualTo("1.28");
        assertThat(report.implementation().contact()).containsExactly("@istio/maintainers");
        assertThat(report.profiles()).extracting(ConformanceReport.ProfileReport::name).containsExactly("MESH-HTTP", "GATEWAY-GRPC", "GATEWAY-HTTP", "GATEWAY-TLS");
        ConformanceReport.ProfileReport mesh = report.profiles().get(0);
        assertThat(mesh.core().statistics()).isEqualTo(new ConformanceReport.Statistics(7, 0, 0));
        assertThat(mesh.extended().unsupportedFeatures()).containsExactly("MeshClusterIPMatching");
        assertThat(report.succeededProvisionalTests()).contains("MeshHTTPRouteNamedRule");

        String written = ConformanceReports.toYaml(report);
        JsonNode before = ConformanceReports.YAML.readTree(original);
        JsonNode after = ConformanceReports.YAML.readTree(written);
        assertThat(after).isEqualTo(before);
        assertThat(ConformanceReports.fromYaml(written)).isEqualTo(report);
    }
}
