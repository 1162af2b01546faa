package dev.meshproof.conformance;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a conformance check: what it proves, where it applies, how much it matters and what it applies.
 * The annotated class implements {@link ConformanceCheck} (its verdict) and has one {@link CheckBody} method (what
 * it drives). It is a JUnit 5 test: {@code meshproof run} runs it through the JUnit Platform Launcher, and an IDE or
 * Maven runs it against the cluster named by {@code MESHPROOF_KUBECONFIG} (see {@link CheckEnvironment}).
 *
 * <pre>{@code
 * @Check(id = "l4-deny-by-principal", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
 *        proves = "A DENY AuthorizationPolicy naming a principal refuses that principal's connections and only those.",
 *        fixtures = "deny-principal.yaml")
 * public class DenyByPrincipal implements ConformanceCheck { … }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CheckExtension.class)
@Tag("conformance")
public @interface Check {
    /** Stable id, lower-case words joined by '-': what reports, --checks and the evidence directory use. */
    String id();

    /** One sentence: the behaviour a PASS proves. */
    String proves();

    /** The data planes it applies to; it runs once for each one the installed mesh provides. */
    DataPlane[] dataPlanes();

    Level level();

    /** The manifests it applies, from its fixture folder {@code checks/<id>/} (variables filled in by the body). */
    String[] fixtures() default {};
}
