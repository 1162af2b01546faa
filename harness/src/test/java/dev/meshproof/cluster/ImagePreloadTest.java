package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images into the node before the install: from a directory of saved tars or from the Docker engine, one import each. */
class ImagePreloadTest {
    @TempDir
    Path tmp;

    private final List<String> imports = new ArrayList<>();
    /** Plays k3s's ctr import: reports the images the tar names. */
    private final ImageImporter importer = tar -> {
        imports.add(tar.getFileName().toString());
        return ImageTar.references(tar).stream().map(ImageTar::normalize).toList();
    };

    @Test
    void aDirectoryOfTarsIsIndexedByTheImagesInsideAndEachTarImportedOnce() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("saved"));
        ImageTarFiles.dockerSave(dir.resolve("istio.tar"), "docker.io/istio/pilot:1.29.6-distroless", "istio/ztunnel:1.29.6-distroless");
        ImageTarFiles.dockerSave(dir.resolve("x.tar"), "docker.io/istio/proxyv2:1.29.6-distroless");
        Files.writeString(dir.resolve("notes.txt"), "not a tar");

        List<Path> imported = ImagePreload.into(importer, new ImageTarDirectory(dir), List.of("docker.io/istio/pilot:1.29.6-distroless",
                "docker.io/istio/ztunnel:1.29.6-distroless", "docker.io/istio/proxyv2:1.29.6-distroless"));

        assertThat(imports).containsExactly("istio.tar", "x.tar"); // ztunnel came with the first tar
        assertThat(imported).containsExactly(dir.resolve("istio.tar"), dir.resolve("x.tar"));
    }

    @Test
    void anImageInNoTarIsExit3NamingItAndHowToSaveIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("saved"));
        ImageTarFiles.dockerSave(dir.resolve("a.tar"), "docker.io/istio/pilot:1.29.6");
        assertThatThrownBy(() -> ImagePreload.into(importer, new ImageTarDirectory(dir), List.of("docker.io/istio/pilot:1.29.6", "docker.io/istio/proxyv2:1.29.6")))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                    assertThat(e.getMessage()).isEqualTo("image docker.io/istio/proxyv2:1.29.6 is in no tar in " + dir);
                    assertThat(e.hint()).contains("docker save --platform linux/amd64 docker.io/istio/proxyv2:1.29.6").contains("meshproof images");
                });
        assertThatThrownBy(() -> new ImageTarDirectory(tmp.resolve("absent"))).isInstanceOfSatisfying(MeshproofException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void fromTheDockerEngineEachImageIsSavedAndImportedAndAMissingOneNamed() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).withImage("docker.io/istio/pilot:1.29.6").withImage("docker.io/istio/proxyv2:1.29.6");
        ImagePreload.into(importer, new DockerSavedImages(docker, tmp.resolve("work")), List.of("docker.io/istio/pilot:1.29.6", "docker.io/istio/proxyv2:1.29.6"));
        assertThat(docker.calls).filteredOn(c -> c.startsWith("save") || c.startsWith("pull"))
                .containsExactly("save docker.io/istio/pilot:1.29.6", "save docker.io/istio/proxyv2:1.29.6");
        assertThat(imports).hasSize(2);

        assertThatThrownBy(() -> new DockerSavedImages(docker, tmp.resolve("work")).tarFor("docker.io/istio/ztunnel:1.29.6"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                    assertThat(e.getMessage()).isEqualTo("image docker.io/istio/ztunnel:1.29.6 is not in the local Docker engine");
                });
    }
}
