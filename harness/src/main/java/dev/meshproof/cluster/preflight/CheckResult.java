package dev.meshproof.cluster.preflight;

/**
 * One check's outcome: {@code OK}, {@code WARN} (worth fixing, does not fail the doctor), {@code FAIL} (a required
 * check: doctor exits 1) or {@code SKIPPED} (an earlier check it needs failed, or it does not apply).
 */
public record CheckResult(Status status, String detail, String hint) {

    public enum Status { OK, WARN, FAIL, SKIPPED }

    public static CheckResult ok(String detail) {
        return new CheckResult(Status.OK, detail, null);
    }

    public static CheckResult warn(String detail, String hint) {
        return new CheckResult(Status.WARN, detail, hint);
    }

    public static CheckResult fail(String detail, String hint) {
        return new CheckResult(Status.FAIL, detail, hint);
    }

    public static CheckResult skipped(String reason) {
        return new CheckResult(Status.SKIPPED, reason, null);
    }
}
