package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads an image tarball into k3s's containerd: copy it into the node container, {@code ctr images import} it in
 * the {@code k8s.io} namespace where the kubelet looks (k3s-io/k3s#213; testcontainers-java#5164),
 * then confirm with {@code ctr images ls}. Pods must use a non-latest tag or {@code imagePullPolicy: IfNotPresent}
 * so the kubelet does not try to pull.
 */
public final class CtrImageImporter implements ImageImporter {
    static final String STAGING_DIR = "/tmp/meshproof-images/";
    private final ContainerShell node;

    public CtrImageImporter(ContainerShell node) {
        this.node = node;
    }

    @Override
    public List<String> importImage(Path imageTar) {
        List<String> expected = ImageTar.references(imageTar).stream().map(ImageTar::normalize).toList();
        String inContainer = STAGING_DIR + imageTar.getFileName();
        node.copyIn(imageTar, inContainer);
        try {
            ContainerShell.Result imported = node.exec("ctr", "-n", "k8s.io", "images", "import", inContainer);
            if (!imported.ok()) {
                throw failed(imageTar, imported);
            }
        } finally {
            node.exec("rm", "-f", inContainer);
        }
        Set<String> listed = listed();
        List<String> missing = expected.stream().filter(r -> !listed.contains(r)).toList();
        if (!missing.isEmpty()) {
            throw MeshproofException.environment("imported " + imageTar + " but containerd does not list " + missing,
                    "check the tar with: tar -xOf " + imageTar + " manifest.json", null);
        }
        return expected;
    }

    /** The references {@code ctr images ls -q} lists in the k8s.io namespace. */
    public Set<String> listed() {
        ContainerShell.Result ls = node.exec("ctr", "-n", "k8s.io", "images", "ls", "-q");
        if (!ls.ok()) {
            throw MeshproofException.environment("ctr images ls failed: " + firstLine(ls.stderr()), null, null);
        }
        return Arrays.stream(ls.stdout().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static MeshproofException failed(Path tar, ContainerShell.Result r) {
        String reason = firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
        // Multi-platform `docker save` output from Docker's containerd image store lacks the other platforms'
        // blobs (k3s-io/k3s#10132, k3s-io/k3s#10149, k3d-io/k3d#1538).
        String hint = reason.contains("content digest") && reason.contains("not found")
                ? "the tar holds a multi-platform index without all its blobs; save one platform: docker save --platform linux/amd64 NAME:TAG -o FILE"
                : "check that the file is a docker save / OCI image tar";
        return MeshproofException.environment("ctr images import " + tar.getFileName() + " failed: " + reason, hint, null);
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
