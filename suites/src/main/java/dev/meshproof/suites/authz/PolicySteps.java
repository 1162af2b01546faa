package dev.meshproof.suites.authz;

import dev.meshproof.verdict.Step;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.DENIED;

/**
 * The steps every authorization check shares: the client a policy refuses is admitted before the policy exists
 * and again after it is deleted (so the refusal is the policy's, not a broken server's), and refused while it
 * exists, with {@code DENIED} (Istio's {@code CheckDeny} forms); another client or port stays admitted under it.
 */
final class PolicySteps {
    private PolicySteps() {
    }

    static Step admittedBefore(String client) {
        return Step.expect("'" + client + "' admitted before the policy", ADMITTED);
    }

    static Step refusedUnder(String client) {
        return Step.expect("'" + client + "' refused under the policy", DENIED);
    }

    static Step admittedUnder(String client) {
        return Step.expect("'" + client + "' admitted under the policy", ADMITTED);
    }

    static Step admittedAfter(String client) {
        return Step.expect("'" + client + "' admitted after the policy is deleted", ADMITTED);
    }
}
