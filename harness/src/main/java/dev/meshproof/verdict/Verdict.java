package dev.meshproof.verdict;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A check's result and the reasons for it, each naming the evidence it rests on.
 *
 * <p>Absence of evidence never passes: a judge that found nothing to judge says {@link Status#INCONCLUSIVE}.
 * Combining verdicts keeps the worst status (FAIL over INCONCLUSIVE over PASS) and every reason.
 */
public record Verdict(Status status, List<String> reasons) {

    public enum Status {
        /** Every layer of evidence the check judges shows the behaviour it proves. */
        PASS,
        /** The evidence shows the mesh not doing what the check proves (a refusal admitted, plaintext, …). */
        FAIL,
        /** There is not enough evidence to say either way (no call observed, no metric series, the check could not finish). */
        INCONCLUSIVE,
        /** The check does not apply here (a requirement not met); the reason says which. */
        SKIPPED;

        /** Worse statuses win when verdicts combine. */
        int severity() {
            return switch (this) {
                case SKIPPED -> 0;
                case PASS -> 1;
                case INCONCLUSIVE -> 2;
                case FAIL -> 3;
            };
        }
    }

    @JsonCreator
    public Verdict(@JsonProperty("status") Status status, @JsonProperty("reasons") List<String> reasons) {
        this.status = status;
        this.reasons = List.copyOf(reasons);
    }

    public static Verdict pass(String reason) {
        return new Verdict(Status.PASS, List.of(reason));
    }

    public static Verdict fail(String reason) {
        return new Verdict(Status.FAIL, List.of(reason));
    }

    public static Verdict inconclusive(String reason) {
        return new Verdict(Status.INCONCLUSIVE, List.of(reason));
    }

    public static Verdict skipped(String reason) {
        return new Verdict(Status.SKIPPED, List.of(reason));
    }

    /** The combination of {@code parts}: the worst status, every reason in order. No parts is INCONCLUSIVE. */
    public static Verdict all(List<Verdict> parts) {
        if (parts.isEmpty()) {
            return inconclusive("nothing was judged");
        }
        Status worst = parts.stream().map(Verdict::status).max(Comparator.comparingInt(Status::severity)).orElseThrow();
        List<String> reasons = new ArrayList<>();
        parts.forEach(p -> reasons.addAll(p.reasons()));
        return new Verdict(worst, reasons);
    }

    public static Verdict all(Verdict... parts) {
        return all(List.of(parts));
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** PASS and SKIPPED do not fail a run; FAIL and INCONCLUSIVE do. */
    public boolean failsRun() {
        return status == Status.FAIL || status == Status.INCONCLUSIVE;
    }

    /** One line: {@code FAIL: reason; reason}. */
    public String line() {
        return status + ": " + String.join("; ", reasons);
    }
}
