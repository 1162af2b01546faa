package dev.meshproof.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * Gateway API's {@code ConformanceReport} ({@code gateway.networking.k8s.io/v1}), field for field as in
 * {@code kubernetes-sigs/gateway-api@v1.4.1:conformance/apis/v1/} (conformancereport.go, profilereport.go,
 * statistics.go, result.go): the shape implementations publish under {@code conformance/reports/}, so the tools and
 * people that read those read Meshproof's. A test round-trips a real published report through this model.
 */
@JsonPropertyOrder({"apiVersion", "kind", "date", "gatewayAPIChannel", "gatewayAPIVersion", "implementation", "mode", "profiles",
        "succeededProvisionalTests"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConformanceReport(String apiVersion, String kind, Implementation implementation, String date, String gatewayAPIVersion,
                                String gatewayAPIChannel, String mode, List<ProfileReport> profiles, List<String> succeededProvisionalTests) {
    public static final String API_VERSION = "gateway.networking.k8s.io/v1";
    public static final String KIND = "ConformanceReport";

    /** Who maintains the implementation tested, and which version of it. */
    @JsonPropertyOrder({"contact", "organization", "project", "url", "version"})
    public record Implementation(String organization, String project, String url, String version,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) List<String> contact) {
    }

    /** One profile's results: core (all must pass), extended (features the implementation claims). */
    @JsonPropertyOrder({"core", "extended", "name", "summary"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProfileReport(String name, String summary, Status core, Status extended) {
    }

    /**
     * Gateway API's {@code Status}, and its {@code ExtendedStatus} (the same fields plus the features): the result,
     * statistics, and which tests were skipped or failed. The feature lists are empty for core.
     */
    @JsonPropertyOrder({"result", "skippedTests", "failedTests", "statistics", "supportedFeatures", "unsupportedFeatures"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Status(String result, Statistics statistics, List<String> skippedTests, List<String> failedTests,
                         List<String> supportedFeatures, List<String> unsupportedFeatures) {
        public static final String SUCCESS = "success";
        public static final String PARTIAL = "partial";
        public static final String FAILURE = "failure";
    }

    /** Gateway API serializes these with Go's field names, capitalized. */
    @JsonPropertyOrder({"Failed", "Passed", "Skipped"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Statistics(@JsonProperty("Passed") int passed, @JsonProperty("Failed") int failed, @JsonProperty("Skipped") int skipped) {
    }
}
