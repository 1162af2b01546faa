package dev.meshproof.conformance;

import org.junit.jupiter.api.TestTemplate;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method of a {@link Check} that drives it, taking a {@link CheckContext}. It runs once per data plane (a JUnit
 * test template); it records evidence and never judges: the check's {@link ConformanceCheck#verdict} does.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
public @interface CheckBody {
}
