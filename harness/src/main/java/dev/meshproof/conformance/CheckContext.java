package dev.meshproof.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.Probe;
import dev.meshproof.evidence.StepRecord;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.core.Waits;
import dev.meshproof.traffic.Expect;
import dev.meshproof.traffic.Observation;
import dev.meshproof.verdict.Step;
import dev.meshproof.workload.Fixtures;
import dev.meshproof.workload.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a check body drives: its own namespaces (labelled, enrolled in the data plane under test, deleted
 * afterwards), agent workloads with their own identities, its fixtures, and traffic whose every response is
 * recorded as evidence. Nothing here judges: {@link #establish} returns an {@link Observation} for the progress
 * line, and the check's verdict recomputes everything from the evidence directory.
 */
public final class CheckContext {
    /** Istio's default trust domain (meshConfig.trustDomain, istio/istio@1.29.6:pkg/config/mesh/mesh.go). */
    static final String TRUST_DOMAIN = "cluster.local";
    static final String LABEL_CHECK = "meshproof.dev/check";
    static final String LABEL_RUN = "meshproof.dev/run";

    private final CheckEnvironment env;
    private final String checkId;
    private final DataPlane dataPlane;
    private final EvidenceDirectory evidence;
    private final Scope scope;
    private final Waits waits;
    private final Workloads workloads;
    private final Instant started = Instant.now();
    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
    private final AtomicInteger seq = new AtomicInteger();
    private final Map<String, CheckFacts.NamespaceFact> namespaces = new LinkedHashMap<>();
    private final Map<String, CheckFacts.WorkloadFact> workloadFacts = new LinkedHashMap<>();

    /** A namespace of this check: its role in the check (server, client, outside) and its name. */
    public record Namespace(String role, String name, boolean enrolled) {
    }

    /** The echo server: Services {@code echo} (HTTP 8080, TCP 9000) in its namespace. */
    public record Server(Namespace namespace) {
        /** HTTP to the echo endpoint through the Service. */
        public String http() {
            return "http://" + Workloads.ECHO + "." + namespace.name() + ".svc.cluster.local:8080/echo";
        }

        /** The TCP line echo through the Service. */
        public String tcp() {
            return "tcp://" + Workloads.ECHO + "." + namespace.name() + ".svc.cluster.local:9000";
        }

        /** Its SPIFFE principal as AuthorizationPolicies name it: {@code cluster.local/ns/<ns>/sa/echo}. */
        public String principal() {
            return TRUST_DOMAIN + "/ns/" + namespace.name() + "/sa/" + Workloads.ECHO;
        }
    }

    /** A client workload whose call API makes the check's calls from inside its pod. */
    public record Client(String name, Namespace namespace, MeshAccess.Caller caller) {
        /** Its SPIFFE principal as AuthorizationPolicies name it: {@code cluster.local/ns/<ns>/sa/<name>}. */
        public String principal() {
            return TRUST_DOMAIN + "/ns/" + namespace.name() + "/sa/" + name;
        }
    }

    /** What {@link #apply} created, to {@link #delete} it again. */
    public record Applied(String fixture, Namespace namespace, List<HasMetadata> objects) {
    }

    CheckContext(CheckEnvironment env, String checkId, DataPlane dataPlane, EvidenceDirectory evidence, Scope scope) {
        this.env = env;
        this.checkId = checkId;
        this.dataPlane = dataPlane;
        this.evidence = evidence;
        this.scope = scope;
        Timeouts t = env.timeouts();
        this.waits = new Waits(t.ready(), Duration.ofMillis(Math.max(50, Math.min(2000, t.poll().toMillis()))), Duration.ofSeconds(10));
        this.workloads = new Workloads(env.client(), scope, env.agentImage());
        writeFacts();
    }

    public String checkId() {
        return checkId;
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public Timeouts timeouts() {
        return env.timeouts();
    }

    // ---- namespaces and workloads ----

    /** A fresh namespace enrolled in the data plane under test. */
    public Namespace namespace(String role) {
        return createNamespace(role, true);
    }

    /** A fresh namespace outside the mesh: its pods are plaintext clients (the negative control). */
    public Namespace outsideMesh(String role) {
        return createNamespace(role, false);
    }

    /** The echo server (agent, version v1) in {@code ns}, ready and, in ambient, captured by ztunnel. */
    public Server server(Namespace ns) {
        workloads.deployServer(ns.name(), "v1");
        awaitWorkload(ns, "echo-v1", Workloads.ECHO);
        record(Workloads.ECHO, ns, Workloads.ECHO, Workloads.ECHO);
        return new Server(ns);
    }

    /** A client named {@code name} (its own service account, so its own identity) in {@code ns}, ready, with its call API open. */
    public Client client(Namespace ns, String name) {
        workloads.deployClient(ns.name(), name);
        awaitWorkload(ns, name, name);
        record(name, ns, name, name);
        return new Client(name, ns, env.mesh().caller(ns.name(), name, scope));
    }

    private Namespace createNamespace(String role, boolean enrolled) {
        String abbreviated = checkId.length() > 28 ? checkId.substring(0, 28).replaceAll("-+$", "") : checkId;
        String name = ("mp-" + abbreviated + "-" + suffix + "-" + role).toLowerCase(Locale.ROOT);
        if (name.length() > 63) {
            throw new IllegalArgumentException("namespace role '" + role + "' makes the name too long: " + name);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/part-of", "meshproof");
        labels.put(LABEL_CHECK, checkId);
        labels.put(LABEL_RUN, env.runId());
        if (enrolled && dataPlane == DataPlane.AMBIENT) {
            labels.put(Enrollment.DATAPLANE_MODE, "ambient");
        } else if (enrolled) {
            labels.put(Enrollment.INJECTION, "enabled");
        }
        KubernetesClient k = env.client();
        k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
        scope.onClose("delete namespace " + name, () -> k.namespaces().withName(name).delete());
        Progress.info(prefix() + "namespace " + name + (enrolled ? " (" + dataPlane.id() + ")" : " (outside the mesh)"));
        Namespace ns = new Namespace(role, name, enrolled);
        synchronized (this) {
            namespaces.put(role, new CheckFacts.NamespaceFact(name, enrolled));
        }
        writeFacts();
        return ns;
    }

    private void awaitWorkload(Namespace ns, String deployment, String app) {
        workloads.awaitReady(ns.name(), deployment, env.timeouts().ready());
        // the evidence names the workload's pods (a plaintext client is recognised in ztunnel's log by pod name only)
        waits.until("a pod of " + ns.name() + "/" + deployment + " listed", () -> env.client().pods().inNamespace(ns.name())
                .withLabel("app", app).list().getItems().isEmpty() ? "no pod with app=" + app + " yet" : null);
        if (ns.enrolled() && dataPlane == DataPlane.AMBIENT) {
            new Enrollment(env.client()).awaitCaptured(ns.name(), waits);
        }
    }

    private void record(String workload, Namespace ns, String serviceAccount, String app) {
        List<CheckFacts.PodFact> pods = new ArrayList<>();
        for (Pod p : env.client().pods().inNamespace(ns.name()).withLabel("app", app).list().getItems()) {
            pods.add(new CheckFacts.PodFact(p.getMetadata().getName(), p.getSpec() == null ? null : p.getSpec().getNodeName(),
                    p.getStatus() == null ? null : p.getStatus().getPodIP()));
        }
        synchronized (this) {
            if (workloadFacts.containsKey(workload)) {
                throw new IllegalArgumentException("check " + checkId + " already has a workload named " + workload);
            }
            workloadFacts.put(workload, new CheckFacts.WorkloadFact(ns.name(), serviceAccount,
                    "spiffe://" + TRUST_DOMAIN + "/ns/" + ns.name() + "/sa/" + serviceAccount, pods));
        }
        writeFacts();
    }

    // ---- fixtures ----

    /**
     * Applies the check's fixture {@code checks/<id>/<fixture>} in {@code ns} with {@code variables} (and
     * {@code NAMESPACE}); records the rendered manifest; deletes it when the check ends.
     */
    public Applied apply(String fixture, Namespace ns, Map<String, String> variables) {
        Map<String, String> values = new LinkedHashMap<>(variables);
        values.put("NAMESPACE", ns.name());
        String path = fixturePath(fixture);
        evidence.writeManifest("apply", fixture, Fixtures.render(path, values));
        List<HasMetadata> objects = new ArrayList<>();
        KubernetesClient k = env.client();
        for (HasMetadata item : Fixtures.load(k, path, values)) {
            objects.add(IstioKinds.resource(k, item, ns.name()).createOr(NonDeletingOperation::update));
            scope.onClose("delete " + item.getKind() + " " + ns.name() + "/" + item.getMetadata().getName(),
                    () -> IstioKinds.resource(k, item, ns.name()).delete());
            Progress.info(prefix() + "applied " + item.getKind() + " " + ns.name() + "/" + item.getMetadata().getName());
        }
        return new Applied(fixture, ns, objects);
    }

    /** Deletes what {@link #apply} created and waits until the API server no longer has it. */
    public void delete(Applied applied) {
        KubernetesClient k = env.client();
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata item : applied.objects()) {
            IstioKinds.resource(k, item, applied.namespace().name()).delete();
            yaml.append(k.getKubernetesSerialization().asYaml(item));
            Progress.info(prefix() + "deleted " + item.getKind() + " " + applied.namespace().name() + "/" + item.getMetadata().getName());
        }
        evidence.writeManifest("delete", applied.fixture(), yaml.toString());
        for (HasMetadata item : applied.objects()) {
            waits.until(item.getKind() + " " + applied.namespace().name() + "/" + item.getMetadata().getName() + " gone",
                    () -> IstioKinds.resource(k, item, applied.namespace().name()).get() == null ? null : "still present");
        }
    }

    private String fixturePath(String fixture) {
        return java.net.URI.create("checks/" + checkId + "/" + fixture).normalize().getPath();
    }

    // ---- traffic ----

    /**
     * Drives {@code step} from {@code from} to each target in turn: calls (each a few fresh connections) until the
     * step's expectation is met, at most {@code converge}, then keeps calling for {@code hold}. Every response is
     * recorded. The returned observations are for progress lines; the verdict judges the recorded responses.
     */
    public List<Observation> establish(Step step, Client from, String... targets) {
        return drive(step, from, targets, env.timeouts().converge(), env.timeouts().hold());
    }

    /** One observation per target, no waiting: a state that must already hold (e.g. before any policy). */
    public List<Observation> observe(Step step, Client from, String... targets) {
        return drive(step, from, targets, Duration.ZERO, Duration.ZERO);
    }

    private List<Observation> drive(Step step, Client from, String[] targets, Duration converge, Duration hold) {
        List<Observation> out = new ArrayList<>();
        for (String target : targets) {
            Instant targetStart = Instant.now();
            CallRequest request = CallRequest.to(target).withCount(env.timeouts().callsPerProbe())
                    .withTimeoutMs((int) env.timeouts().callTimeout().toMillis()).withNewConnectionPerCall(true);
            boolean[] reached = {false};
            Observation o = Expect.establish(converge, hold, env.timeouts().poll(), () -> {
                CallResponse r = probe(step, reached[0] ? Probe.HOLD : (converge.isZero() ? Probe.ONCE : Probe.CONVERGE), from, request);
                reached[0] |= step.expectation().isMetBy(r);
                return r;
            }, step.expectation()::unmet);
            Progress.info(prefix() + "'" + step.name() + "' " + from.name() + " → " + target + ": " + o.summary());
            out.add(o);
            evidence.appendStep(new StepRecord(step.name(), target, targetStart, Instant.now(), converge.toMillis(), hold.toMillis()));
        }
        return out;
    }

    private CallResponse probe(Step step, String phase, Client from, CallRequest request) {
        Instant at = Instant.now();
        String raw = from.caller().call(request);
        JsonNode tree;
        CallResponse parsed;
        try {
            tree = Json.MAPPER.readTree(raw);
            parsed = Json.MAPPER.treeToValue(tree, CallResponse.class);
        } catch (Exception e) {
            throw new IllegalStateException("the call API of " + from.namespace().name() + "/" + from.name()
                    + " answered something that is not a call response: " + raw, e);
        }
        evidence.appendProbe(new Probe(seq.incrementAndGet(), step.name(), phase, from.namespace().name() + "/" + from.name(), at, request, tree));
        return parsed;
    }

    // ---- proxies ----

    /** Records every shared proxy's metrics body now ({@code before} or {@code after} the traffic a verdict compares). */
    public void scrapeProxyMetrics(String label) {
        env.mesh().scrapeProxies(dataPlane, label).forEach(evidence::writeScrape);
    }

    /** Called by the engine when the body ends: the proxies' logs of the check's window. */
    void collectProxyLogs() {
        env.mesh().proxyLogs(dataPlane, namespaceNames(), started.minusSeconds(1)).forEach(evidence::writeLog);
    }

    synchronized List<String> namespaceNames() {
        return namespaces.values().stream().map(CheckFacts.NamespaceFact::name).toList();
    }

    private synchronized void writeFacts() {
        evidence.writeFacts(new CheckFacts(checkId, dataPlane.id(), env.meshMode().flag(), env.istioVersion(),
                new LinkedHashMap<>(namespaces), new LinkedHashMap<>(workloadFacts), started));
    }

    private String prefix() {
        return "[" + checkId + " " + dataPlane.id() + "] ";
    }
}
