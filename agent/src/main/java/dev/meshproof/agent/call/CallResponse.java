package dev.meshproof.agent.call;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /call}: one result per call, in call order, and how many ended each way.
 *
 * @param results       one record per call
 * @param summary       outcome → count, only outcomes that occurred
 * @param elapsedMicros wall time of the whole request
 */
public record CallResponse(List<CallResult> results, Map<Outcome, Integer> summary, long elapsedMicros) {

    static CallResponse of(List<CallResult> results, long elapsedMicros) {
        Map<Outcome, Integer> summary = new EnumMap<>(Outcome.class);
        results.forEach(r -> summary.merge(r.outcome(), 1, Integer::sum));
        return new CallResponse(List.copyOf(results), summary, elapsedMicros);
    }

    /** How many calls ended with {@code outcome}. */
    public int count(Outcome outcome) {
        return summary.getOrDefault(outcome, 0);
    }

    /** True when every call ended with {@code outcome}. */
    public boolean all(Outcome outcome) {
        return !results.isEmpty() && count(outcome) == results.size();
    }
}
