package dev.meshproof.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.util.List;

/**
 * The images of the pods istiod itself makes, which no chart names: waypoint proxies (injector template
 * {@code waypoint}) and injected sidecars (template {@code sidecar}: istio-init and istio-proxy). istiod resolves them
 * from two ConfigMaps the istiod chart renders — the injector's {@code values} and the mesh config — and so does this:
 * <ul>
 *   <li>a template's image is {@code global.proxy.image} (istio-init: {@code global.proxy_init.image}) when that holds a
 *       '/', else {@code {{ .ProxyImage }}}
 *       (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/files/waypoint.yaml, injection-template.yaml);</li>
 *   <li>{@code .ProxyImage} = {@code <global.hub>/<global.proxy.image or proxyv2>:<global.tag>}, the tag suffixed with
 *       the image type: the mesh config's {@code defaultConfig.image.imageType} when it has an {@code image}, else
 *       {@code global.variant}; a known suffix already on the tag is replaced, {@code default} means none
 *       (istio/istio@1.29.6:pkg/kube/inject/inject.go ProxyImage, imageURL, updateImageTypeIfPresent; waypoints get
 *       the same from pilot/pkg/config/kube/gateway/deploymentcontroller.go).</li>
 * </ul>
 * Meshproof's Gateways and workloads set no {@code sidecar.istio.io/proxyImage} annotation, so that override never applies.
 */
final class InjectedProxyImages {
    static final String INJECTOR_CONFIGMAP = "istio-sidecar-injector";
    static final String MESH_CONFIGMAP = "istio";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** inject.go KnownImageTypes. */
    private static final List<String> KNOWN_IMAGE_TYPES = List.of("distroless", "debug");
    private static final String PROXY_IMAGE_FIELD = "{{ .ProxyImage }}";

    private final JsonNode values;
    private final JsonNode mesh;
    private final JsonNode templates;

    private InjectedProxyImages(JsonNode values, JsonNode mesh, JsonNode templates) {
        this.values = values;
        this.mesh = mesh;
        this.templates = templates;
    }

    /** From the istiod chart's rendered objects; exit 2 when they lack the injector or mesh ConfigMap. */
    static InjectedProxyImages from(List<HasMetadata> istiodObjects) {
        ConfigMap injector = configMap(istiodObjects, INJECTOR_CONFIGMAP);
        ConfigMap mesh = configMap(istiodObjects, MESH_CONFIGMAP);
        return new InjectedProxyImages(read(injector, "values"), read(mesh, "mesh"), read(injector, "config").path("templates"));
    }

    /** The waypoint proxy's image. */
    String waypoint() {
        return image("waypoint", "proxy");
    }

    /** The images of an injected sidecar: istio-init, then istio-proxy. */
    List<String> sidecar() {
        return List.of(image("sidecar", "proxy_init"), image("sidecar", "proxy"));
    }

    private String image(String template, String valuesKey) {
        String text = templates.path(template).asText("");
        if (!text.contains(PROXY_IMAGE_FIELD)) {
            throw MeshproofException.usage("the istiod chart's injector template '" + template + "' does not take its image from "
                            + PROXY_IMAGE_FIELD + ", so Meshproof cannot tell which image it needs",
                    "compare the chart with Istio 1.29.6's (manifests/charts/istio-control/istio-discovery/files/)");
        }
        String configured = values.path("global").path(valuesKey).path("image").asText("");
        return configured.contains("/") ? configured : proxyImage();
    }

    private String proxyImage() {
        JsonNode global = values.path("global");
        String name = global.path("proxy").path("image").asText("");
        String imageType = global.path("variant").asText("");
        JsonNode image = mesh.path("defaultConfig").path("image");
        if (!image.isMissingNode() && !image.isNull()) {
            imageType = image.path("imageType").asText("");
        }
        return global.path("hub").asText() + "/" + (name.isEmpty() ? "proxyv2" : name) + ":"
                + withImageType(global.path("tag").asText(), imageType);
    }

    private static String withImageType(String tag, String imageType) {
        if (imageType.isEmpty()) {
            return tag;
        }
        for (String known : KNOWN_IMAGE_TYPES) {
            if (tag.endsWith("-" + known)) {
                tag = tag.substring(0, tag.length() - known.length() - 1);
                break;
            }
        }
        return imageType.equals("default") ? tag : tag + "-" + imageType;
    }

    private static ConfigMap configMap(List<HasMetadata> objects, String name) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> MeshproofException.usage("the istiod chart rendered no ConfigMap " + name
                                + ", where istiod reads the images of sidecars and waypoints",
                        "compare the chart with Istio 1.29.6's (and check --values does not omit it)"));
    }

    private static JsonNode read(ConfigMap cm, String key) {
        String text = cm.getData() == null ? null : cm.getData().get(key);
        if (text == null) {
            throw MeshproofException.usage("ConfigMap " + cm.getMetadata().getName() + " rendered by the istiod chart has no key " + key, null);
        }
        try {
            JsonNode node = YAML.readTree(text);
            return node == null ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw MeshproofException.usage("ConfigMap " + cm.getMetadata().getName() + " key " + key + " is not YAML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), null);
        }
    }
}
