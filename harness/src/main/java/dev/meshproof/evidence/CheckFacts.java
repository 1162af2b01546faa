package dev.meshproof.evidence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a check ran against: enough to judge its evidence without the cluster.
 *
 * @param check        the check's id
 * @param dataPlane    {@code ambient} or {@code sidecar}: the data plane the check's namespaces were enrolled in
 * @param meshMode     what the install provided ({@code ambient}, {@code sidecar}, {@code hybrid})
 * @param istioVersion the installed Istio version
 * @param namespaces   role → namespace, e.g. {@code server → mp-l4-deny-1a2b-server}
 * @param workloads    name → the workload, with its SPIFFE identity and where its pods ran
 * @param started      when the check started
 */
public record CheckFacts(String check, String dataPlane, String meshMode, String istioVersion,
                         Map<String, NamespaceFact> namespaces, Map<String, WorkloadFact> workloads, Instant started) {

    /** @param enrolled whether the namespace was put into the mesh (false: the plaintext control's namespace) */
    public record NamespaceFact(String name, boolean enrolled) {
    }

    /**
     * @param namespace      its namespace
     * @param serviceAccount its service account
     * @param spiffe         {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}
     * @param pods           its pods: name, node, IP
     */
    public record WorkloadFact(String namespace, String serviceAccount, String spiffe, List<PodFact> pods) {
    }

    public record PodFact(String name, String node, String ip) {
    }

    /** The workload called {@code name}; evidence without it is malformed. */
    public WorkloadFact workload(String name) {
        WorkloadFact w = workloads.get(name);
        if (w == null) {
            throw new MalformedEvidenceException("context.json", "names no workload '" + name + "' (has " + workloads.keySet() + ")");
        }
        return w;
    }
}
