package dev.meshproof.verdict;


/**
 * One check's result in one data plane, as written to {@code verdict.json} and listed in the run summary.
 *
 * @param check     the check's id
 * @param dataPlane {@code ambient} or {@code sidecar}; null when the check was skipped before choosing one
 * @param level     core or extended
 * @param proves    what a PASS proves
 * @param verdict   the status and its reasons
 * @param seconds   how long the check ran
 */
public record CheckResult(String check, String dataPlane, String level, String proves, Verdict verdict, double seconds) {

    /** {@code PASS  l4-deny-by-principal [ambient] (41.2s)} */
    public String line() {
        return String.format(java.util.Locale.ROOT, "%-12s %s%s (%.1fs)", verdict.status(), check,
                dataPlane == null ? "" : " [" + dataPlane + "]", seconds);
    }
}
