package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageTarTest {
    @TempDir
    Path tmp;

    @Test
    void readsRepoTagsOfDockerSaveFormat() throws IOException {
        Path tar = ImageTarFiles.dockerSave(tmp.resolve("a.tar"), "meshproof/agent:0.1", "meshproof/agent:dev");
        assertThat(ImageTar.references(tar)).containsExactly("meshproof/agent:0.1", "meshproof/agent:dev");
    }

    @Test
    void readsOciIndexNameAnnotationWhenThereIsNoManifestJson() throws IOException {
        Path tar = ImageTarFiles.write(tmp.resolve("oci.tar"), Map.of("index.json",
                "{\"manifests\":[{\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/busybox:1.36\"}}]}",
                "oci-layout", "{}"));
        assertThat(ImageTar.references(tar)).containsExactly("docker.io/library/busybox:1.36");
    }

    @Test
    void tarWithoutImageNameIsUsageErrorNamingTheFile() throws IOException {
        Path tar = ImageTarFiles.write(tmp.resolve("untagged.tar"), Map.of("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":null}]"));
        assertThatThrownBy(() -> ImageTar.references(tar)).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).contains(tar.toString()).contains("names no image");
        });
    }

    @Test
    void missingOrNonTarFileIsUsageErrorNamingIt() throws IOException {
        Path missing = tmp.resolve("missing.tar");
        assertThatThrownBy(() -> ImageTar.references(missing)).isInstanceOfSatisfying(MeshproofException.class,
                e -> assertThat(e.getMessage()).isEqualTo("image tar not found: " + missing));
        Path text = Files.writeString(tmp.resolve("text.tar"), "not a tar at all, just text that is long enough ".repeat(20));
        assertThatThrownBy(() -> ImageTar.references(text)).isInstanceOfSatisfying(MeshproofException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void normalizesLikeContainerdLists() {
        assertThat(ImageTar.normalize("busybox")).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageTar.normalize("meshproof/agent:0.1")).isEqualTo("docker.io/meshproof/agent:0.1");
        assertThat(ImageTar.normalize("ghcr.io/istio/ztunnel:1.29.6")).isEqualTo("ghcr.io/istio/ztunnel:1.29.6");
        assertThat(ImageTar.normalize("localhost/app")).isEqualTo("localhost/app:latest");
        assertThat(ImageTar.normalize("127.0.0.1:5000/app:2")).isEqualTo("127.0.0.1:5000/app:2");
    }
}
