package dev.meshproof.conformance;

import dev.meshproof.core.Progress;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs selected checks through the JUnit Platform Launcher (so a check is the same JUnit 5 test in a run, an IDE
 * and Maven), in parallel when asked: each check has its own
 * namespaces, so independent checks do not interfere. Returns one result per check and data plane, read back
 * from each {@code verdict.json}; a planned check that wrote none is INCONCLUSIVE, one whose data planes the
 * install does not provide is SKIPPED with the reason.
 */
public final class ConformanceRun {
    private final CheckEnvironment env;
    private final int parallel;

    public ConformanceRun(CheckEnvironment env, int parallel) {
        this.env = env;
        this.parallel = Math.max(1, parallel);
    }

    /** Which data planes each selected check runs in here; empty when the install provides none it supports. */
    public static Map<CheckCatalog.Entry, List<DataPlane>> plan(List<CheckCatalog.Entry> selected, List<DataPlane> provided) {
        Map<CheckCatalog.Entry, List<DataPlane>> plan = new LinkedHashMap<>();
        for (CheckCatalog.Entry e : selected) {
            plan.put(e, e.dataPlanes().stream().filter(provided::contains).toList());
        }
        return plan;
    }

    public List<CheckResult> run(Map<CheckCatalog.Entry, List<DataPlane>> plan) {
        List<CheckResult> results = new ArrayList<>();
        List<CheckCatalog.Entry> runnable = new ArrayList<>();
        plan.forEach((entry, planes) -> {
            if (planes.isEmpty()) {
                results.add(new CheckResult(entry.id(), null, entry.level().id(), entry.declaration().proves(),
                        Verdict.skipped("requires the " + String.join(" or ", entry.dataPlanes().stream().map(DataPlane::id).toList())
                                + " data plane; the installed mesh (" + env.meshMode().flag() + ") provides " + DataPlane.providedBy(env.meshMode())
                                .stream().map(DataPlane::id).toList()), 0));
            } else {
                runnable.add(entry);
            }
        });
        if (!runnable.isEmpty()) {
            Progress.step("conformance: " + runnable.size() + " check(s)" + (parallel > 1 ? ", " + parallel + " in parallel" : ""));
            LauncherDiscoveryRequest request = request()
                    .selectors(runnable.stream().map(e -> selectClass(e.type())).toList())
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", String.valueOf(parallel > 1))
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(parallel))
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.max-pool-size", String.valueOf(parallel))
                    .build();
            // No listener found on the class path (Allure's, when a test class path has it) writes results of its own:
            // the run's reports, Allure's results among them, are made from the evidence on disk afterwards.
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
            try (AutoCloseable installed = CheckEnvironment.use(withPlan(plan))) {
                launcher.execute(request);
            } catch (Exception e) {
                throw new IllegalStateException("conformance run failed: " + e.getMessage(), e);
            }
        }
        for (CheckCatalog.Entry entry : runnable) {
            for (DataPlane dp : plan.get(entry)) {
                results.add(read(entry, dp));
            }
        }
        return results;
    }

    private CheckEnvironment withPlan(Map<CheckCatalog.Entry, List<DataPlane>> plan) {
        Map<String, List<DataPlane>> byId = new LinkedHashMap<>();
        plan.forEach((e, p) -> byId.put(e.id(), p));
        return new CheckEnvironment(env.client(), env.meshMode(), env.istioVersion(), env.agentImage(), env.runRoot(), env.runId(),
                env.timeouts(), env.mesh(), byId, env.onFailure(), env.scope());
    }

    private CheckResult read(CheckCatalog.Entry entry, DataPlane dp) {
        Path dir = EvidenceDirectory.of(env.runRoot(), entry.id(), dp.id()).path();
        try {
            return new EvidenceDirectory(dir).readJson(EvidenceDirectory.VERDICT, CheckResult.class);
        } catch (MalformedEvidenceException e) {
            return new CheckResult(entry.id(), dp.id(), entry.level().id(), entry.declaration().proves(),
                    Verdict.inconclusive("the check wrote no verdict (" + e.getMessage() + ")"), 0);
        }
    }
}
