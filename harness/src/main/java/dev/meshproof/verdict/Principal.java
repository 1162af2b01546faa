package dev.meshproof.verdict;

/**
 * A workload's SPIFFE identity as Istio writes it, {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}
 * (istio/istio@1.29.6:pkg/spiffe/spiffe.go). Matching is on the {@code /ns/…/sa/…} path so a mesh with another trust
 * domain than {@code cluster.local} is judged the same; the scheme must be {@code spiffe://}.
 */
public record Principal(String namespace, String serviceAccount) {

    /** The identity part that does not depend on the trust domain. */
    public String path() {
        return "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** True when {@code value} is this workload's SPIFFE URI (any trust domain). */
    public boolean matches(String value) {
        if (value == null || !value.startsWith("spiffe://")) {
            return false;
        }
        String rest = value.substring("spiffe://".length());
        int slash = rest.indexOf('/');
        return slash > 0 && rest.substring(slash).equals(path());
    }

    @Override
    public String toString() {
        return "spiffe://…" + path();
    }
}
