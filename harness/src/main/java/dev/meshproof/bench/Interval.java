package dev.meshproof.bench;

/** A point estimate with its confidence interval, in microseconds. */
public record Interval(double estimate, double low, double high) {

    public boolean contains(double value) {
        return low <= value && value <= high;
    }

    public boolean excludesZero() {
        return low > 0 || high < 0;
    }
}
