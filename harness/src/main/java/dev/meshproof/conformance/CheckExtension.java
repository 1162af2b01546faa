package dev.meshproof.conformance;

import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a {@link Check} as JUnit 5 tests: one invocation of its {@link CheckBody} per data plane it applies to.
 * Each invocation gets a {@link CheckContext} on its own evidence directory and cleanup scope; when the body ends
 * (normally or not) the engine collects the proxies' logs, computes the verdict <em>from the files on disk</em> (so
 * {@code meshproof verdict} reproduces it), dumps diagnostics when it did not pass, cleans up, writes
 * {@code verdict.json}, and reports PASS as success, FAIL and INCONCLUSIVE as failures.
 */
public final class CheckExtension implements ExecutionCondition, TestTemplateInvocationContextProvider {
    static final String NO_ENVIRONMENT = "conformance: no cluster to check (run the checks with `meshproof run`, or set MESHPROOF_KUBECONFIG to a cluster with the mesh installed)";
    private static final java.util.Set<String> ANNOUNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (environment().isEmpty()) {
            if (ANNOUNCED.add(NO_ENVIRONMENT)) {
                System.err.println("[checks skipped] " + NO_ENVIRONMENT); // surefire does not print skip reasons
            }
            return ConditionEvaluationResult.disabled(NO_ENVIRONMENT);
        }
        return ConditionEvaluationResult.enabled("a conformance environment is installed");
    }

    /** The run's environment, or, for a check started from an IDE or Maven, the one MESHPROOF_KUBECONFIG names. */
    private static java.util.Optional<CheckEnvironment> environment() {
        return CheckEnvironment.current().or(StandaloneEnvironment::get);
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestClass().isAnnotationPresent(Check.class);
    }

    @Override
    public boolean mayReturnZeroTestTemplateInvocationContexts(ExtensionContext context) {
        return true; // a check for a data plane the install does not provide simply does not run
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Check check = context.getRequiredTestClass().getAnnotation(Check.class);
        CheckEnvironment env = environment().orElseThrow(() -> new TestAbortedException(NO_ENVIRONMENT));
        return env.dataPlanesFor(check.id(), check.dataPlanes()).stream().map(dp -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return check.id() + " [" + dp.id() + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Invocation(env, check, dp));
            }
        });
    }

    /** One run of a check body in one data plane. */
    static final class Invocation implements ParameterResolver, AfterTestExecutionCallback {
        private final CheckEnvironment env;
        private final Check check;
        private final DataPlane dataPlane;
        private final EvidenceDirectory evidence;
        private final Scope scope;
        private final long start = System.nanoTime();
        private CheckContext context;

        Invocation(CheckEnvironment env, Check check, DataPlane dataPlane) {
            this.env = env;
            this.check = check;
            this.dataPlane = dataPlane;
            this.evidence = EvidenceDirectory.of(env.runRoot(), check.id(), dataPlane.id());
            this.scope = env.scope().child("check " + check.id() + " " + dataPlane.id());
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
            return parameter.getParameter().getType() == CheckContext.class;
        }

        @Override
        public synchronized Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
            if (context == null) {
                Progress.step("check " + check.id() + " [" + dataPlane.id() + "]: " + check.proves());
                context = new CheckContext(env, check.id(), dataPlane, evidence, scope);
            }
            return context;
        }

        @Override
        public void afterTestExecution(ExtensionContext extension) {
            Throwable stopped = extension.getExecutionException().orElse(null);
            ConformanceCheck instance = (ConformanceCheck) extension.getRequiredTestInstance();
            Verdict verdict;
            try {
                if (context != null) {
                    attempt("collect proxy logs", context::collectProxyLogs);
                }
                verdict = judge(instance, stopped);
                if (verdict.failsRun() && context != null) {
                    List<String> namespaces = new ArrayList<>(context.namespaceNames());
                    namespaces.add(0, LiveMeshAccess.ISTIO_NAMESPACE);
                    attempt("write diagnostics", () -> env.onFailure().write(namespaces, evidence.path()));
                }
            } finally {
                scope.close();
            }
            double seconds = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
            CheckResult result = new CheckResult(check.id(), dataPlane.id(), check.level().id(), check.proves(), verdict, seconds);
            evidence.writeJson(EvidenceDirectory.VERDICT, result);
            Progress.info(result.line());
            verdict.reasons().forEach(r -> Progress.info("  " + r));
            if (verdict.failsRun() && stopped == null) {
                throw new AssertionFailedError(check.id() + " [" + dataPlane.id() + "]: " + verdict.line());
            }
        }

        /** The check's verdict on the evidence as written; a body that stopped early adds INCONCLUSIVE (FAIL still wins). */
        private Verdict judge(ConformanceCheck instance, Throwable stopped) {
            Verdict fromEvidence;
            try {
                fromEvidence = instance.verdict(evidence.read());
            } catch (MalformedEvidenceException e) {
                fromEvidence = Verdict.inconclusive("evidence unreadable: " + e.getMessage());
            }
            if (stopped == null) {
                return fromEvidence;
            }
            return Verdict.all(fromEvidence, Verdict.inconclusive("the check stopped before it finished: " + firstLine(stopped)));
        }

        private static String firstLine(Throwable t) {
            String m = String.valueOf(t.getMessage());
            return t.getClass().getSimpleName() + ": " + m.lines().findFirst().orElse("");
        }

        private static void attempt(String what, Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                Progress.info("could not " + what + ": " + e.getMessage());
            }
        }
    }
}
