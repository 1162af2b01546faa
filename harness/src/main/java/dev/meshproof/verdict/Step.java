package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.Probe;
import dev.meshproof.evidence.StepRecord;

import java.time.Duration;
import java.util.List;

/**
 * A named state a check drives its clients into, and the expectation every observation of it must meet —
 * e.g. {@code Step.expect("other client refused under the policy", CallExpectation.DENIED)}. The check declares its
 * steps as constants; its body drives them ({@code ctx.establish(step, …)}), and its verdict judges them here from
 * the recorded probes alone:
 *
 * <ul>
 *   <li>no probe, or no call completed: INCONCLUSIVE (nothing was observed);</li>
 *   <li>no observation met the expectation within the step's bound: FAIL, naming the last one;</li>
 *   <li>met, then violated while it had to hold: FAIL, naming the violation and when;</li>
 *   <li>met and held for the whole hold window: PASS, with the convergence time and, when it took more than one
 *       attempt, how many (a check that passed only after a retry says so).</li>
 * </ul>
 */
public record Step(String name, CallExpectation expectation) {

    public static Step expect(String name, CallExpectation expectation) {
        return new Step(name, expectation);
    }

    /** Judged target by target (each target converges and holds on its own); every target's verdict, combined. */
    public Verdict judge(Evidence evidence) {
        List<Probe> probes = evidence.probes(name);
        List<StepRecord> records = evidence.steps(name);
        if (probes.isEmpty()) {
            return Verdict.inconclusive("'" + name + "': " + (records.isEmpty() ? "never driven (the check stopped before this step)" : "no observation recorded"));
        }
        java.util.Set<String> targets = new java.util.LinkedHashSet<>();
        records.forEach(r -> targets.add(r.target()));
        probes.forEach(p -> targets.add(p.target()));
        List<Verdict> parts = new java.util.ArrayList<>();
        for (String target : targets) {
            List<Probe> mine = probes.stream().filter(p -> target.equals(p.target())).toList();
            StepRecord record = records.stream().filter(r -> target.equals(r.target())).findFirst().orElse(null);
            parts.add(judge(target, mine, record));
        }
        return Verdict.all(parts);
    }

    private Verdict judge(String target, List<Probe> probes, StepRecord record) {
        String what = "'" + name + "' (" + target + ")";
        if (probes.isEmpty()) {
            return Verdict.inconclusive(what + ": no observation recorded");
        }
        List<CallResponse> responses = probes.stream().map(Probe::parsedResponse).toList();
        if (responses.stream().allMatch(r -> r.results().isEmpty())) {
            return Verdict.inconclusive(what + ": no call completed in " + probes.size() + " observations");
        }
        int first = -1;
        for (int i = 0; i < probes.size(); i++) {
            if (expectation.isMetBy(responses.get(i))) {
                first = i;
                break;
            }
        }
        String expected = expectation.name();
        if (first < 0) {
            String bound = record == null || record.convergeMs() == 0 ? "" : " within " + seconds(record.convergeMs());
            return Verdict.fail(what + ": expected " + expected + bound + "; not met in " + probes.size()
                    + " observations (calls.jsonl #" + probes.get(0).seq() + "–#" + probes.get(probes.size() - 1).seq() + "), last: "
                    + expectation.unmet(responses.get(responses.size() - 1)));
        }
        for (int i = first + 1; i < probes.size(); i++) {
            String unmet = expectation.unmet(responses.get(i));
            if (unmet != null) {
                return Verdict.fail(what + ": " + expected + " was reached, then violated "
                        + seconds(Duration.between(probes.get(first).at(), probes.get(i).at()).toMillis())
                        + " later (calls.jsonl #" + probes.get(i).seq() + "): " + unmet);
            }
        }
        String attempts = first == 0 ? "at the first observation" : "after " + (first + 1) + " observations, "
                + seconds(Duration.between(probes.get(0).at(), probes.get(first).at()).toMillis()) + " (passed only after retrying)";
        if (record != null && record.holdMs() > 0) {
            long held = record.ended() == null ? 0 : Duration.between(probes.get(first).at(), record.ended()).toMillis();
            int holdObservations = probes.size() - first;
            if (held < record.holdMs() || holdObservations < 2) {
                return Verdict.inconclusive(what + ": " + expected + " reached " + attempts + ", but observed for only "
                        + seconds(held) + " of the " + seconds(record.holdMs()) + " it had to hold (" + holdObservations + " observations)");
            }
            return Verdict.pass(what + ": " + expected + " reached " + attempts + " and held for " + seconds(held)
                    + " (" + holdObservations + " observations)");
        }
        return Verdict.pass(what + ": " + expected + " " + attempts);
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
