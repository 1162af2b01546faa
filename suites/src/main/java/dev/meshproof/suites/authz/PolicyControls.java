package dev.meshproof.suites.authz;

import dev.meshproof.verdict.Step;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.DENIED;

/**
 * The steps every authorization check shares: the client a policy refuses is admitted before the policy exists
 * and again after it is deleted (so the refusal is the policy's, not a broken server's), and refused while it
 * exists, with {@code DENIED} (Istio's {@code CheckDeny} forms); another client stays admitted under it.
 *
 * @param admittedBefore the refused client, before the policy
 * @param refused        the refused client, under the policy
 * @param otherAdmitted  the other client, under the policy
 * @param admittedAfter  the refused client, after the policy is deleted
 */
public record PolicyControls(Step admittedBefore, Step refused, Step otherAdmitted, Step admittedAfter) {

    /** The four steps for a policy that refuses {@code refused} and not {@code admitted} (the clients' names). */
    public static PolicyControls refusing(String refused, String admitted) {
        return new PolicyControls(admittedBefore(refused), refusedUnder(refused), admittedUnder(admitted), admittedAfter(refused));
    }

    /** In the order they are driven. */
    public Step[] all() {
        return new Step[]{admittedBefore, refused, otherAdmitted, admittedAfter};
    }

    public static Step admittedBefore(String client) {
        return Step.expect("'" + client + "' admitted before the policy", ADMITTED);
    }

    public static Step refusedUnder(String client) {
        return Step.expect("'" + client + "' refused under the policy", DENIED);
    }

    public static Step admittedUnder(String client) {
        return Step.expect("'" + client + "' admitted under the policy", ADMITTED);
    }

    public static Step admittedAfter(String client) {
        return Step.expect("'" + client + "' admitted after the policy is deleted", ADMITTED);
    }
}
