package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an install created, in apply order, kept in the cluster (ConfigMap {@value #NAME} in the mesh namespace)
 * so that uninstall — in this process or a later one — deletes exactly that, in reverse, and nothing it did not create.
 * Rewritten after every applied object, so a failed install can still be uninstalled.
 */
public final class Inventory {
    public static final String NAME = "meshproof-install";
    private static final String KEY = "objects";

    /** An applied object's identity: enough to get or delete it again. */
    public record Ref(String apiVersion, String kind, String namespace, String name) {
        public static Ref of(HasMetadata h) {
            return new Ref(h.getApiVersion(), h.getKind(), h.getMetadata().getNamespace(), h.getMetadata().getName());
        }

        /** A minimal object of this identity, typed where fabric8 knows the kind, for get/delete. */
        public HasMetadata stub() {
            GenericKubernetesResource g = new GenericKubernetesResource();
            g.setApiVersion(apiVersion);
            g.setKind(kind);
            g.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
            return Manifests.SERIALIZATION.unmarshal(Manifests.SERIALIZATION.asJson(g));
        }

        public String describe() {
            return kind + " " + (namespace == null ? "" : namespace + "/") + name;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final List<Ref> refs = new ArrayList<>();

    private Inventory(KubernetesClient client, String namespace, List<Ref> refs) {
        this.client = client;
        this.namespace = namespace;
        this.refs.addAll(refs);
    }

    /** The inventory recorded in {@code namespace}, or an empty one. */
    public static Inventory read(KubernetesClient client, String namespace) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(NAME).get();
        List<Ref> refs = new ArrayList<>();
        if (cm != null && cm.getData() != null && cm.getData().get(KEY) != null) {
            for (String line : cm.getData().get(KEY).split("\n")) {
                String[] f = line.split(" ");
                if (f.length == 4) {
                    refs.add(new Ref(f[0], f[1], "-".equals(f[2]) ? null : f[2], f[3]));
                }
            }
        }
        return new Inventory(client, namespace, refs);
    }

    public boolean exists() {
        return client.configMaps().inNamespace(namespace).withName(NAME).get() != null;
    }

    public List<Ref> refs() {
        return List.copyOf(refs);
    }

    public boolean contains(Ref ref) {
        return refs.contains(ref);
    }

    /** Records an object this install owns and saves the inventory. */
    public void add(Ref ref) {
        if (!refs.contains(ref)) {
            refs.add(ref);
        }
        save();
    }

    private void save() {
        StringBuilder data = new StringBuilder();
        refs.forEach(r -> data.append(r.apiVersion()).append(' ').append(r.kind()).append(' ')
                .append(r.namespace() == null ? "-" : r.namespace()).append(' ').append(r.name()).append('\n'));
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .withLabels(Map.of(Manifests.INSTALL_LABEL, "istio", Manifests.COMPONENT_LABEL, "inventory")).endMetadata()
                .withData(Map.of(KEY, data.toString())).build();
        client.configMaps().inNamespace(namespace).resource(cm).createOr(NonDeletingOperation::update);
    }

    public void delete() {
        client.configMaps().inNamespace(namespace).withName(NAME).delete();
    }
}
