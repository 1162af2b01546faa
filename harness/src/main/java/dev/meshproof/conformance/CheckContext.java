package dev.meshproof.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.ObjectStatus;
import dev.meshproof.evidence.Probe;
import dev.meshproof.evidence.StepRecord;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.GatewayApi;
import dev.meshproof.mesh.Waypoints;
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

    /**
     * The echo server: Service {@code echo} (HTTP 8080, TCP 9000) selecting every version deployed, and Services
     * {@code echo-<version>} selecting one ({@code version} pod label, e.g. a DestinationRule subset's).
     */
    public record Server(Namespace namespace, List<String> versions) {
        /** HTTP to the echo endpoint through the Service. */
        public String http() {
            return http("/echo");
        }

        /** HTTP to {@code path} (the agent echoes {@code /echo} and {@code /echo/…}; any other path gets its 404) through the Service {@code echo}. */
        public String http(String path) {
            return "http://" + host() + ":8080" + path;
        }

        /** HTTP to the echo endpoint through the Service that selects only {@code version}. */
        public String httpOf(String version) {
            if (!versions.contains(version)) {
                throw new IllegalArgumentException("the server has no version " + version + " (has " + versions + ")");
            }
            return "http://" + Workloads.ECHO + "-" + version + "." + namespace.name() + ".svc.cluster.local:8080/echo";
        }

        /** The Service {@code echo}'s cluster-local host name. */
        public String host() {
            return Workloads.ECHO + "." + namespace.name() + ".svc.cluster.local";
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

    /**
     * One call a step makes: a URL and, for HTTP, the method and request headers (e.g. the header a route matches).
     * Steps are judged target by target, so two targets differing only in a header are judged apart.
     */
    public record Target(String url, String method, Map<String, String> headers) {
        public Target {
            headers = Map.copyOf(headers);
        }

        public static Target of(String url) {
            return new Target(url, null, Map.of());
        }

        public Target method(String value) {
            return new Target(url, value, headers);
        }

        public Target header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Target(url, method, h);
        }
    }

    /**
     * A waypoint (ambient's L7 proxy) of this check: the Gateway {@code name} in {@code namespace}, bound to the whole
     * namespace ({@code service} null) or to one Service.
     */
    public record Waypoint(Namespace namespace, String name, String service) {
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
        return server(ns, "v1");
    }

    /** The echo server in each of {@code versions} (Deployments {@code echo-<version>}) in {@code ns}, all ready. */
    public Server server(Namespace ns, String... versions) {
        for (String version : versions) {
            workloads.deployServer(ns.name(), version);
        }
        for (String version : versions) {
            awaitWorkload(ns, Workloads.ECHO + "-" + version, Workloads.ECHO);
        }
        record(Workloads.ECHO, ns, Workloads.ECHO, Workloads.ECHO);
        return new Server(ns, List.of(versions));
    }

    // ---- waypoints (ambient's L7 proxies) ----

    /**
     * A waypoint for every service of {@code ns} (as {@code istioctl waypoint apply -n NS --enroll-namespace}
     * creates it), Programmed with its pods Ready; removed when the check ends. Ambient only: in sidecar mode the
     * sidecars are the L7 proxies and a check asks for no waypoint.
     */
    public Waypoint waypoint(Namespace ns) {
        requireAmbient("a namespace waypoint");
        Progress.info(prefix() + "waypoint " + ns.name() + "/" + Waypoints.DEFAULT_NAME + " for the namespace");
        waypoints().forNamespace(ns.name(), Waypoints.DEFAULT_NAME);
        return recordWaypoint(new Waypoint(ns, Waypoints.DEFAULT_NAME, null));
    }

    /** A waypoint used only by the server's Service {@code echo} (label {@code istio.io/use-waypoint} on the Service). */
    public Waypoint waypointFor(Server server) {
        requireAmbient("a service waypoint");
        String name = Workloads.ECHO + "-waypoint";
        Progress.info(prefix() + "waypoint " + server.namespace().name() + "/" + name + " for Service " + Workloads.ECHO);
        waypoints().forService(server.namespace().name(), Workloads.ECHO, name);
        return recordWaypoint(new Waypoint(server.namespace(), name, Workloads.ECHO));
    }

    /** Deletes the waypoint and the labels binding traffic to it, and waits until its Gateway and pods are gone. */
    public void removeWaypoint(Waypoint w) {
        String ns = w.namespace().name();
        waypoints().delete(ns, w.name());
        evidence.writeManifest("delete", "waypoint-" + w.name() + ".yaml", "# Gateway " + ns + "/" + w.name() + " deleted, label "
                + Waypoints.USE_WAYPOINT + " removed from " + (w.service() == null ? "the namespace" : "Service " + w.service()) + "\n");
        Progress.info(prefix() + "removed waypoint " + ns + "/" + w.name());
        waits.until("waypoint " + ns + "/" + w.name() + " gone (Gateway and pods)", () -> waypoints().stillPresent(ns, w.name()));
    }

    private Waypoints waypoints() {
        KubernetesClient k = env.client();
        // create-or-update, not server-side apply: the API server fake the tests use does not implement it
        return new Waypoints(k, o -> k.resource(o).createOr(NonDeletingOperation::update), waits);
    }

    private Waypoint recordWaypoint(Waypoint w) {
        String ns = w.namespace().name();
        evidence.writeManifest("apply", "waypoint-" + w.name() + ".yaml", env.client().getKubernetesSerialization()
                .asYaml(IstioKinds.operations(env.client(), GatewayApi.API_VERSION, "Gateway").inNamespace(ns).withName(w.name()).get()));
        scope.onClose("delete waypoint " + ns + "/" + w.name(), () -> waypoints().delete(ns, w.name()));
        return w;
    }

    private void requireAmbient(String what) {
        if (dataPlane != DataPlane.AMBIENT) {
            throw new IllegalStateException("check " + checkId + " asks for " + what + " on the " + dataPlane.id() + " data plane; only ambient has waypoints");
        }
    }

    /** A client named {@code name} (its own service account, so its own identity) in {@code ns}, ready, with its call API open. */
    public Client client(Namespace ns, String name) {
        workloads.deployClient(ns.name(), name);
        awaitWorkload(ns, name, name);
        record(name, ns, name, name);
        return new Client(name, ns, env.mesh().caller(ns.name(), name, scope));
    }

    /**
     * A namespace outside the mesh with the fixed {@code name} (for what the mesh config names at install time, e.g. the
     * trace collector's Service): waits until a namespace of that name left by an earlier run is gone, creates it, and
     * deletes it when the check ends. Checks using one must not run concurrently (JUnit {@code @ResourceLock}).
     */
    public Namespace fixedNamespace(String role, String name) {
        KubernetesClient k = env.client();
        waits.until("namespace " + name + " free (an earlier one deleted)", () -> k.namespaces().withName(name).get() == null ? null : "still present");
        return createNamespace(role, name, false);
    }

    /** Waits until the Deployment {@code deployment} (pods labelled {@code app=<deployment>}) an applied fixture made in {@code ns} is ready. */
    public void awaitReady(Namespace ns, String deployment) {
        awaitWorkload(ns, deployment, deployment);
    }

    private Namespace createNamespace(String role, boolean enrolled) {
        String abbreviated = checkId.length() > 28 ? checkId.substring(0, 28).replaceAll("-+$", "") : checkId;
        String name = ("mp-" + abbreviated + "-" + suffix + "-" + role).toLowerCase(Locale.ROOT);
        if (name.length() > 63) {
            throw new IllegalArgumentException("namespace role '" + role + "' makes the name too long: " + name);
        }
        return createNamespace(role, name, enrolled);
    }

    private Namespace createNamespace(String role, String name, boolean enrolled) {
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
        values.putIfAbsent("IMAGE", env.agentImage()); // a fixture may run the agent (e.g. as a trace collector)
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

    /**
     * Records the status the controllers wrote on what {@link #apply} created (e.g. an HTTPRoute's parents'
     * {@code Accepted}, {@code ResolvedRefs}), under {@code status/}: waits at most the converge bound for a status
     * to appear on each object, then records whatever is there (nothing, too: the verdict says so).
     */
    public void recordStatus(Applied applied) {
        KubernetesClient k = env.client();
        for (HasMetadata item : applied.objects()) {
            String ns = applied.namespace().name();
            String what = item.getKind() + " " + ns + "/" + item.getMetadata().getName();
            java.util.function.Supplier<ObjectStatus> read = () -> {
                HasMetadata current = IstioKinds.resource(k, item, ns).get();
                return current == null ? ObjectStatus.absent(item.getKind(), ns, item.getMetadata().getName()) : ObjectStatus.of(current);
            };
            try {
                org.awaitility.Awaitility.await(what + " has a status").atMost(env.timeouts().converge()).pollDelay(Duration.ZERO)
                        .pollInterval(env.timeouts().poll()).pollInSameThread().until(() -> read.get().hasStatus());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                Progress.info(prefix() + what + " has no status after " + env.timeouts().converge().toSeconds() + " s");
            }
            ObjectStatus recorded = read.get();
            evidence.writeStatus(recorded);
            Progress.info(prefix() + "recorded the status of " + what + (recorded.hasStatus() ? "" : " (none)"));
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
        return establish(step, from, targets(targets));
    }

    /** {@link #establish(Step, Client, String...)} with methods and headers. */
    public List<Observation> establish(Step step, Client from, Target... targets) {
        return drive(step, from, targets, env.timeouts().converge(), env.timeouts().hold());
    }

    /** One observation per target, no waiting: a state that must already hold (e.g. before any policy). */
    public List<Observation> observe(Step step, Client from, String... targets) {
        return observe(step, from, targets(targets));
    }

    /** {@link #observe(Step, Client, String...)} with methods and headers. */
    public List<Observation> observe(Step step, Client from, Target... targets) {
        return drive(step, from, targets, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Sends {@code calls} calls of {@code target} from {@code from} in one go (a sample, e.g. for a traffic split judged
     * statistically), recorded as one observation of {@code step}; no convergence, no hold.
     */
    public CallResponse sample(Step step, Client from, Target target, int calls) {
        Instant start = Instant.now();
        CallRequest request = request(target).withCount(calls);
        CallResponse r = probe(step, Probe.ONCE, from, request);
        Progress.info(prefix() + "'" + step.name() + "' " + from.name() + " → " + Probe.target(request) + ": " + calls + " calls, " + r.summary());
        evidence.appendStep(new StepRecord(step.name(), Probe.target(request), start, Instant.now(), 0, 0));
        return r;
    }

    private static Target[] targets(String[] urls) {
        return java.util.Arrays.stream(urls).map(Target::of).toArray(Target[]::new);
    }

    /** Every call on a fresh connection (policy applies at connection set-up), HTTP calls stamped with their own ids. */
    private CallRequest request(Target target) {
        CallRequest r = CallRequest.to(target.url()).withCount(env.timeouts().callsPerProbe())
                .withTimeoutMs((int) env.timeouts().callTimeout().toMillis()).withNewConnectionPerCall(true)
                .withStamp(!target.url().startsWith("tcp:"));
        r = target.method() == null ? r : r.withMethod(target.method());
        return target.headers().isEmpty() ? r : r.withHeaders(target.headers());
    }

    private List<Observation> drive(Step step, Client from, Target[] targets, Duration converge, Duration hold) {
        List<Observation> out = new ArrayList<>();
        for (Target target : targets) {
            Instant targetStart = Instant.now();
            CallRequest request = request(target);
            boolean[] reached = {false};
            Observation o = Expect.establish(converge, hold, env.timeouts().poll(), () -> {
                CallResponse r = probe(step, reached[0] ? Probe.HOLD : (converge.isZero() ? Probe.ONCE : Probe.CONVERGE), from, request);
                reached[0] |= step.expectation().isMetBy(r);
                return r;
            }, step.expectation()::unmet);
            Progress.info(prefix() + "'" + step.name() + "' " + from.name() + " → " + Probe.target(request) + ": " + o.summary());
            out.add(o);
            evidence.appendStep(new StepRecord(step.name(), Probe.target(request), targetStart, Instant.now(), converge.toMillis(), hold.toMillis()));
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
        env.mesh().scrapeProxies(dataPlane, namespaceNames(), label).forEach(evidence::writeScrape);
    }

    /**
     * Reads {@code GET pathAndQuery} on {@code port} from a pod of the workload {@code app} in {@code ns} (from outside the
     * mesh, e.g. the spans the check's collector received) and records the body verbatim as {@code collected/<name>};
     * returns it (null when the pod answered an error: nothing is recorded then).
     */
    public String collect(String name, Namespace ns, String app, int port, String pathAndQuery) {
        String body = env.mesh().get(ns.name(), app, port, pathAndQuery);
        if (body != null) {
            evidence.writeCollected(name, body);
        }
        Progress.info(prefix() + "collected " + name + " from " + ns.name() + "/" + app + ":" + port + pathAndQuery
                + (body == null ? ": no answer" : " (" + body.length() + " characters)"));
        return body;
    }

    /** {@link #collect} without recording anything: to poll until what will be collected has arrived. */
    public String read(Namespace ns, String app, int port, String pathAndQuery) {
        return env.mesh().get(ns.name(), app, port, pathAndQuery);
    }

    /** The proxies' logs of the check's window so far, not recorded (the engine records them when the body ends): to poll. */
    public List<dev.meshproof.evidence.LogCapture> readProxyLogs() {
        return env.mesh().proxyLogs(dataPlane, namespaceNames(), started.minusSeconds(1));
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
