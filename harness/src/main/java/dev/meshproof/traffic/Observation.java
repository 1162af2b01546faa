package dev.meshproof.traffic;

import dev.meshproof.agent.call.CallResponse;

import java.time.Duration;

/**
 * What driving traffic towards a state observed, without judging it: whether the state was reached, after how
 * long and how many attempts, whether it then held for the whole window, and the last response seen (the
 * violating one when it did not hold). Checks record it as a progress line; verdicts are recomputed from the
 * recorded responses, not from this.
 */
public record Observation(boolean reached, Duration convergedAfter, int attempts, boolean held, Duration heldFor,
                          int observations, CallResponse last, String lastUnmet) {

    /** "reached after 2.1s (3 attempts), held 5.0s (6 observations)" or "not reached within 30.0s: …". */
    public String summary() {
        if (!reached) {
            return "not reached within " + seconds(convergedAfter) + " (" + attempts + " attempts); last: " + lastUnmet;
        }
        String reach = "reached after " + seconds(convergedAfter) + " (" + attempts + (attempts == 1 ? " attempt" : " attempts") + ")";
        if (heldFor.isZero() && held) {
            return reach;
        }
        return reach + (held ? ", held " : ", violated after ") + seconds(heldFor) + " (" + observations + " observations)"
                + (held ? "" : ": " + lastUnmet);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
