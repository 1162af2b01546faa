package dev.meshproof.cli;

import dev.meshproof.cluster.TestKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `doctor --cluster kubeconfig` against the mock API server playing a cluster and its authorizer. */
@EnableKubernetesMockClient
class DoctorKubeconfigCliTest {
    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path tmp;

    CliRunner doctor() throws IOException {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("34").withGitVersion("v1.34.6+k3s1").build());
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), client.getMasterUrl().toString());
        return CliRunner.run("doctor", "--cluster", "kubeconfig", "--kubeconfig", kc.toString(), "--context", "ctx1");
    }

    void authorizer(boolean allowed) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                .andReturn(201, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"status\":{\"allowed\":" + allowed + "}}")
                .always();
    }

    @Test
    void adminOnAReachableClusterPasses() throws IOException {
        authorizer(true);
        CliRunner r = doctor();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("kubernetes-api\n  [ok]   kubeconfig valid:")
                .contains("  [ok]   Kubernetes API reachable: Kubernetes v1.34.6+k3s1")
                .contains("  [ok]   RBAC sufficient to install the mesh: all 22 permissions granted")
                .contains("Status: all required checks passed");
        assertThat(r.out() + r.err()).doesNotContain(TestKubeconfig.SECRET_TOKEN);
    }

    @Test
    void userWithoutRightsFailsWithExit1() throws IOException {
        authorizer(false);
        CliRunner r = doctor();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("  [FAIL] RBAC sufficient to install the mesh: denied: create customresourcedefinitions.apiextensions.k8s.io")
                .contains("hint: use a kubeconfig user bound to cluster-admin");
    }

    @Test
    void clusterStatusOfYourOwnReachableClusterIsExit0WithoutTheToken() throws IOException {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("34").withGitVersion("v1.34.6+k3s1").build());
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), client.getMasterUrl().toString());
        CliRunner r = CliRunner.run("cluster", "status", "--cluster", "kubeconfig", "--kubeconfig", kc.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("reachable: kubeconfig " + kc + " context ctx1").contains("Kubernetes v1.34.6+k3s1");
        assertThat(r.out() + r.err()).doesNotContain(TestKubeconfig.SECRET_TOKEN);
    }
}
