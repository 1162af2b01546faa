// The machine's timer floor: how late a plain C program wakes up when it sleeps until absolute deadlines RATE
// times a second (clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME) for SECONDS. No open-model generator paced by
// timers can be more punctual than this; docs/benchmarks.md ("Engine vs wrk") compares the engine with it.
// Build and run: gcc -O2 -o /tmp/timer-floor scripts/timer-floor.c && /tmp/timer-floor 1000 10
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static int cmp(const void *a, const void *b) { long x = *(long *)a, y = *(long *)b; return (x > y) - (x < y); }
int main(int argc, char **argv) {
  if (argc != 3 || atol(argv[1]) <= 0 || atol(argv[2]) <= 0) {
    fprintf(stderr, "usage: timer-floor RATE SECONDS (e.g. 1000 10)\n");
    return 2;
  }
  long rate = atol(argv[1]), seconds = atol(argv[2]), n = rate * seconds;
  long *late = malloc(sizeof(long) * n);
  struct timespec t0, now; clock_gettime(CLOCK_MONOTONIC, &t0);
  long start = t0.tv_sec * 1000000000L + t0.tv_nsec + 100000000L, interval = 1000000000L / rate;
  for (long k = 0; k < n; k++) {
    long due = start + k * interval;
    struct timespec d = { due / 1000000000L, due % 1000000000L };
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, NULL);
    clock_gettime(CLOCK_MONOTONIC, &now);
    late[k] = now.tv_sec * 1000000000L + now.tv_nsec - due;
  }
  qsort(late, n, sizeof(long), cmp);
  printf("rate %ld/s over %ld s: wake-up lateness p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs\n", rate, seconds,
         late[n / 2] / 1e3, late[n * 9 / 10] / 1e3, late[n * 99 / 100] / 1e3, late[n * 999 / 1000] / 1e3, late[n - 1] / 1e3);
  return 0;
}
