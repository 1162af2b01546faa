package dev.meshproof.suites;

import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * Every check as plain JUnit 5 tests, for running them from Maven or an IDE against a cluster that already has
 * the mesh: {@code MESHPROOF_KUBECONFIG=~/.kube/config ./mvnw -B -pl suites -am test -Dtest=AllChecksSuite
 * -Dsurefire.failIfNoSpecifiedTests=false} (see docs/conformance.md). Without MESHPROOF_KUBECONFIG each check is
 * skipped with one line.
 */
@Suite
@SelectPackages({"dev.meshproof.suites.mtls", "dev.meshproof.suites.authz"})
@IncludeTags("conformance")
class AllChecksSuite {
}
