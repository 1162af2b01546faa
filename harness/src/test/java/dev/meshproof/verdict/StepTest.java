package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.Probe;
import org.junit.jupiter.api.Test;

import static dev.meshproof.verdict.EvidenceBuilder.closed;
import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.httpError;
import static dev.meshproof.verdict.EvidenceBuilder.ok;
import static dev.meshproof.verdict.EvidenceBuilder.pod;
import static dev.meshproof.verdict.EvidenceBuilder.reset;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static dev.meshproof.verdict.EvidenceBuilder.tcpOk;
import static dev.meshproof.verdict.EvidenceBuilder.timeout;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link Step#judge} from recorded probes alone: convergence, hold, retries, nothing observed. */
class StepTest {
    private static final String NAME = "client refused under the policy";
    private static final Step REFUSED = Step.expect(NAME, CallExpectation.DENIED);
    private static final Step ADMITTED = Step.expect("client admitted", CallExpectation.ADMITTED);
    private static final String RBAC_BODY = upstream("rbac-403-body.txt");

    private static EvidenceBuilder base() {
        return evidence()
                .workload("client", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.42.0.9"))
                .workload("echo", "default", "bookinfo-details", pod("details-v1-857849f66-ft8wx", "10.42.0.5"));
    }

    private static dev.meshproof.agent.call.CallResult admitted() {
        return ok(echo("details-v1-857849f66-ft8wx", "default", "bookinfo-details"));
    }

    @Test
    void inconclusiveWhenTheStepWasNeverDriven() {
        Verdict v = REFUSED.judge(base().build());

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("never driven");
    }

    @Test
    void inconclusiveWhenDrivenButNoProbeRecorded() {
        Verdict v = REFUSED.judge(base().step(NAME, 0, 30_000, 30_000, 10_000).build());

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("no observation recorded");
    }

    @Test
    void probesOfAnotherStepDoNotCount() {
        Evidence e = base().step(NAME, 0, 1000, 0, 0).probe("another step", 0, reset()).build();

        assertThat(REFUSED.judge(e).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void inconclusiveWhenEveryResponseIsEmpty() {
        Evidence e = base().step(NAME, 0, 30_000, 30_000, 0).probe(NAME, 0).probe(NAME, 1000).build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("no call completed in 2 observations");
    }

    @Test
    void failWhenNeverMetNamingTheLastObservation() {
        Evidence e = base().step(NAME, 0, 30_000, 30_000, 10_000)
                .probe(NAME, 0, admitted()).probe(NAME, 10_000, admitted()).probe(NAME, 20_000, timeout()).build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("within 30.0s").contains("not met in 3 observations").contains("calls.jsonl #1–#3")
                .contains("last: call 1 of 1 was none of").contains("timeout").doesNotContain("ok 200");
    }

    @Test
    void failWhenMetThenViolatedDuringTheHold() {
        Evidence e = base().step(NAME, 0, 40_000, 30_000, 10_000)
                .probe(NAME, 0, admitted())
                .probe(NAME, Probe.HOLD, 2_000, response(reset(), closed()))
                .probe(NAME, Probe.HOLD, 4_000, response(httpError(403, RBAC_BODY)))
                .probe(NAME, Probe.HOLD, 6_000, response(reset(), admitted()))
                .probe(NAME, Probe.HOLD, 8_000, response(reset()))
                .build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("was reached, then violated 4.0s later (calls.jsonl #4)").contains("call 2 of 2");
    }

    @Test
    void passWithConvergenceAfterRetriesSaysSo() {
        Evidence e = base().step(NAME, 0, 16_000, 30_000, 10_000)
                .probe(NAME, 0, admitted())
                .probe(NAME, 2_000, admitted())
                .probe(NAME, Probe.CONVERGE, 4_000, response(reset(), reset()))
                .probe(NAME, Probe.HOLD, 8_000, response(closed(), reset()))
                .probe(NAME, Probe.HOLD, 12_000, response(httpError(403, RBAC_BODY)))
                .probe(NAME, Probe.HOLD, 15_000, response(reset()))
                .build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("after 3 observations, 4.0s (passed only after retrying)")
                .contains("held for 12.0s (4 observations)");
    }

    @Test
    void passAtTheFirstObservationDoesNotClaimARetry() {
        Evidence e = base().step(NAME, 0, 11_000, 30_000, 10_000)
                .probe(NAME, 0, reset()).probe(NAME, 5_000, reset()).probe(NAME, 10_000, closed()).build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("at the first observation").doesNotContain("retrying");
    }

    @Test
    void inconclusiveWhenTheHoldWasObservedForLessThanHoldMs() {
        Evidence e = base().step(NAME, 0, 3_000, 30_000, 10_000)
                .probe(NAME, 0, reset()).probe(NAME, 2_000, reset()).build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("observed for only 3.0s of the 10.0s");
    }

    @Test
    void inconclusiveWhenTheHoldHadASingleObservation() {
        // The step ran long enough, but the state was seen once: one observation does not show it held.
        Evidence e = base().step(NAME, 0, 20_000, 30_000, 10_000).probe(NAME, 0, reset()).build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("(1 observations)");
    }

    @Test
    void onceStepPassesOnASingleObservation() {
        Evidence e = base().step("admitted before any policy", 0, 100, 0, 0)
                .probe("admitted before any policy", Probe.ONCE, 0, response(admitted(), tcpOk("meshproof-ping"))).build();

        Verdict v = Step.expect("admitted before any policy", CallExpectation.ADMITTED).judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("at the first observation");
    }

    @Test
    void onceStepFailsWithoutABound() {
        Evidence e = base().step("client admitted", 0, 100, 0, 0)
                .probe("client admitted", Probe.ONCE, 0, response(httpError(403, RBAC_BODY))).build();

        Verdict v = ADMITTED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).doesNotContain(" within ").contains("not met in 1 observations").contains("\"RBAC: access denied\"");
    }

    @Test
    void stepsCombineWorstFirst() {
        Evidence e = base()
                .step("client admitted", 0, 100, 0, 0).probe("client admitted", Probe.ONCE, 0, response(admitted()))
                .step(NAME, 200, 300, 0, 0).probe(NAME, Probe.ONCE, 200, response(admitted()))
                .build();

        Verdict v = Steps.judge(e, ADMITTED, REFUSED);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.reasons()).hasSize(2);
        assertThat(Steps.judge(e, ADMITTED).status()).isEqualTo(Verdict.Status.PASS);
    }

    private static final String HTTP = "http://echo.default:8080/echo";
    private static final String TCP = "tcp://echo.default:9000";

    /**
     * A step driven towards two targets ({@code server.http(), server.tcp()}): the HTTP target is admitted in every
     * observation of its convergence window (the policy never took effect on it), then the TCP target is refused and
     * holds. Expect.establish never throws for a target that does not converge, so only the verdict can catch this:
     * a later target that met the state must not mask an earlier one that never did.
     */
    @Test
    void aTargetThatNeverConvergedIsNotMaskedByALaterTargetThatDid() {
        Evidence e = base()
                .step(NAME, HTTP, 0, 20_000, 20_000, 10_000)
                .probe(NAME, Probe.CONVERGE, "default/client", HTTP, 0, response(admitted()))
                .probe(NAME, Probe.CONVERGE, "default/client", HTTP, 10_000, response(admitted()))
                .probe(NAME, Probe.CONVERGE, "default/client", HTTP, 20_000, response(admitted()))
                .step(NAME, TCP, 20_000, 52_000, 20_000, 10_000)
                .probe(NAME, Probe.CONVERGE, "default/client", TCP, 30_000, response(reset()))
                .probe(NAME, Probe.HOLD, "default/client", TCP, 40_000, response(reset()))
                .probe(NAME, Probe.HOLD, "default/client", TCP, 50_000, response(reset()))
                .build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.reasons()).hasSize(2);
        assertThat(v.reasons().get(0)).contains(HTTP).contains("not met in 3 observations");
        assertThat(v.reasons().get(1)).contains(TCP).contains("held for");
    }

    /**
     * The converse, same driving: the HTTP target converged and held, then the TCP target needed one retry to
     * converge (well within its bound) and held. The TCP target's convergence attempt is not a violation of the HTTP
     * target's hold.
     */
    @Test
    void theNextTargetsConvergenceIsNotAViolationOfThePreviousTargetsHold() {
        Evidence e = base()
                .step(NAME, HTTP, 0, 10_000, 20_000, 10_000)
                .probe(NAME, Probe.CONVERGE, "default/client", HTTP, 0, response(reset()))
                .probe(NAME, Probe.HOLD, "default/client", HTTP, 5_000, response(reset()))
                .probe(NAME, Probe.HOLD, "default/client", HTTP, 10_000, response(reset()))
                .step(NAME, TCP, 20_000, 35_000, 20_000, 10_000)
                .probe(NAME, Probe.CONVERGE, "default/client", TCP, 20_000, response(admitted()))
                .probe(NAME, Probe.CONVERGE, "default/client", TCP, 25_000, response(reset()))
                .probe(NAME, Probe.HOLD, "default/client", TCP, 30_000, response(reset()))
                .probe(NAME, Probe.HOLD, "default/client", TCP, 35_000, response(reset()))
                .build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.reasons()).hasSize(2);
        assertThat(v.reasons().get(0)).contains(HTTP).contains("at the first observation");
        assertThat(v.reasons().get(1)).contains(TCP).contains("passed only after retrying");
    }

    @Test
    void aTargetWithAStepRecordButNoProbeIsInconclusive() {
        Evidence e = base()
                .step(NAME, HTTP, 0, 100, 0, 0).probe(NAME, Probe.ONCE, "default/client", HTTP, 0, response(reset()))
                .step(NAME, TCP, 100, 200, 0, 0)
                .build();

        Verdict v = REFUSED.judge(e);

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains(TCP).contains("no observation recorded");
    }

    @Test
    void probesAreParsedWithTheAgentsTypes() {
        Evidence e = base().probe(NAME, 0, reset(), closed()).build();

        CallResponse r = e.probes(NAME).get(0).parsedResponse();

        assertThat(r.results()).extracting(x -> x.outcome().wireName()).containsExactly("reset", "closed");
        assertThat(r.count(dev.meshproof.agent.call.Outcome.RESET)).isEqualTo(1);
    }
}
