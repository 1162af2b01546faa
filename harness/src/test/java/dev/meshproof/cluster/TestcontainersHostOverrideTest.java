package dev.meshproof.cluster;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TESTCONTAINERS_HOST_OVERRIDE=localhost belongs to test runs inside a container only (as in the launcher): set for
 * every run, it broke a remote DOCKER_HOST (k3s's kubeconfig server and --tls-san named localhost).
 */
class TestcontainersHostOverrideTest {
    private static final String VARIABLE = "TESTCONTAINERS_HOST_OVERRIDE";

    @Test
    void theParentPomSetsItOnlyInAProfileForContainersThatLeavesAUsersValueAlone() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of(System.getProperty("meshproof.repo.root", "..")).resolve("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        Element build = child(project, "build");
        assertThat(elementsNamed(build, VARIABLE)).as("set for every test run").isEmpty();

        List<Element> setting = new ArrayList<>();
        for (Element profile : elementsNamed(child(project, "profiles"), "profile")) {
            if (!elementsNamed(profile, VARIABLE).isEmpty()) {
                setting.add(profile);
            }
        }
        assertThat(setting).hasSize(1);
        Element activation = child(setting.get(0), "activation");
        assertThat(child(child(activation, "file"), "exists").getTextContent()).isEqualTo("/.dockerenv");
        assertThat(child(child(activation, "property"), "name").getTextContent()).isEqualTo("!env." + VARIABLE);
        assertThat(elementsNamed(setting.get(0), VARIABLE).get(0).getTextContent()).isEqualTo("localhost");
    }

    @Test
    void thisRunHasItExactlyWhenInsideAContainer() {
        // Inside a container the tests reach k3s through localhost (this machine has /.dockerenv); outside, the
        // build adds nothing, so only a value the user exported can be there.
        if (Files.exists(Path.of("/.dockerenv"))) {
            assertThat(System.getenv(VARIABLE)).isNotBlank();
        }
        assertThat(System.getenv("TESTCONTAINERS_RYUK_DISABLED")).isEqualTo("true");
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no <" + name + "> under <" + parent.getTagName() + ">");
    }

    private static List<Element> elementsNamed(Element root, String name) {
        NodeList list = root.getElementsByTagName(name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }
}
