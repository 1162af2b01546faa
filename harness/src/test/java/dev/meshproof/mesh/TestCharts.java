package dev.meshproof.mesh;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** The small Istio-shaped test charts under src/test/resources/charts, and helpers around them. */
public final class TestCharts {
    private TestCharts() {
    }

    public static Path dir() {
        try {
            return Path.of(Objects.requireNonNull(TestCharts.class.getResource("/charts/base/Chart.yaml")).toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Create-or-update in place of server-side apply: fabric8's mock server answers 415 to
     * application/apply-patch+yaml, so the orchestration tests apply this way; {@link ObjectApplier#serverSide}
     * runs in the e2e tier.
     */
    public static ObjectApplier createOrUpdate(KubernetesClient client) {
        return object -> client.resource(object).createOr(NonDeletingOperation::update);
    }
}
