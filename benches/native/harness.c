/* The native side of theorist's side-by-side interval benchmarks (scripts/bench-native).
 *
 * The same work as theorist's criterion bench `intervals` (crates/numerics/benches), done
 * with Arb's balls and MPFI's intervals the way a C programmer would write it: every variable
 * initialised once, every operation writing into it in place.
 *   interval_ops/<bits>:  s = a + b; m = s * a; d = m / b; r = sqrt(d)   (4 operations)
 *     with a = 1.2345678901234567, b = 7.6543210987654321 enclosed at <bits> bits;
 *   higgs_radial_128:     -μ²² / (4λ) + (2λx - μ²)² / (4λ) over μ² = 7837.52, λ = 0.129,
 *     x ∈ [0, 100000] at 128 bits, written by hand (4λ computed once).
 * Timing: thread CPU time (CLOCK_THREAD_CPUTIME_ID, so time spent preempted on a busy
 * machine does not count), batches of at least 5 ms, the median batch's time per iteration.
 * Output: one tab-separated line per figure, `library bench parameter ns_per_iteration`, and
 * `library width higgs_radial_128 <enclosure width>` lines for the enclosures' widths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mpfi.h>
#if __has_include(<flint/arb.h>)
#include <flint/arb.h> /* FLINT 3: Arb is part of FLINT */
#define HARNESS_ARB_NAME "arb (flint)"
#define HARNESS_ARB_VERSION flint_version
#else
#include <arb.h>       /* Arb 2.x, Debian's libflint-arb-dev */
#define HARNESS_ARB_NAME "arb"
#define HARNESS_ARB_VERSION arb_version
#endif

static double thread_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median over batches of the time per call of `step(ctx)`; `seconds` of batches. */
static double median_ns(void (*step)(void *), void *ctx, double seconds) {
    long n = 1;
    for (;;) { /* calibrate: a batch of at least 5 ms */
        double t = thread_ns();
        for (long i = 0; i < n; i++) step(ctx);
        if (thread_ns() - t >= 5e6) break;
        n *= 2;
    }
    enum { MAX_BATCHES = 1000 };
    static double per[MAX_BATCHES];
    int k = 0;
    double start = thread_ns();
    while (k < MAX_BATCHES && (k < 11 || thread_ns() - start < seconds * 1e9)) {
        double t = thread_ns();
        for (long i = 0; i < n; i++) step(ctx);
        per[k++] = (thread_ns() - t) / n;
    }
    qsort(per, k, sizeof per[0], cmp_double);
    return per[k / 2];
}

/* ---- the op mix ---- */

struct arb_mix { arb_t a, b, s, m, d, r; slong prec; };

static void arb_mix_step(void *p) {
    struct arb_mix *c = p;
    arb_add(c->s, c->a, c->b, c->prec);
    arb_mul(c->m, c->s, c->a, c->prec);
    arb_div(c->d, c->m, c->b, c->prec);
    arb_sqrt(c->r, c->d, c->prec);
}

struct mpfi_mix { mpfi_t a, b, s, m, d, r; };

static void mpfi_mix_step(void *p) {
    struct mpfi_mix *c = p;
    mpfi_add(c->s, c->a, c->b);
    mpfi_mul(c->m, c->s, c->a);
    mpfi_div(c->d, c->m, c->b);
    mpfi_sqrt(c->r, c->d);
}

static const char *A = "1.2345678901234567", *B = "7.6543210987654321";

static void op_mix(int bits, double seconds) {
    struct arb_mix x;
    arb_init(x.a); arb_init(x.b); arb_init(x.s); arb_init(x.m); arb_init(x.d); arb_init(x.r);
    x.prec = bits;
    if (arb_set_str(x.a, A, bits) || arb_set_str(x.b, B, bits)) abort();
    printf("arb\tinterval_ops\t%d\t%.2f\n", bits, median_ns(arb_mix_step, &x, seconds));
    arb_clear(x.a); arb_clear(x.b); arb_clear(x.s); arb_clear(x.m); arb_clear(x.d); arb_clear(x.r);

    struct mpfi_mix y;
    mpfi_t *all[] = {&y.a, &y.b, &y.s, &y.m, &y.d, &y.r};
    for (int i = 0; i < 6; i++) mpfi_init2(*all[i], bits);
    if (mpfi_set_str(y.a, A, 10) || mpfi_set_str(y.b, B, 10)) abort();
    printf("mpfi\tinterval_ops\t%d\t%.2f\n", bits, median_ns(mpfi_mix_step, &y, seconds));
    for (int i = 0; i < 6; i++) mpfi_clear(*all[i]);
    fflush(stdout);
}

/* ---- the Higgs radial enclosure, by hand ---- */

struct arb_higgs { arb_t mu, lam, x, den, t, u, r; };

static void arb_higgs_step(void *p) {
    struct arb_higgs *c = p;
    const slong prec = 128;
    arb_mul_si(c->den, c->lam, 4, prec);      /* 4λ */
    arb_sqr(c->t, c->mu, prec);               /* μ²² */
    arb_neg(c->t, c->t);
    arb_div(c->t, c->t, c->den, prec);        /* -μ²²/(4λ) */
    arb_mul_si(c->u, c->lam, 2, prec);        /* 2λ */
    arb_mul(c->u, c->u, c->x, prec);          /* 2λx */
    arb_sub(c->u, c->u, c->mu, prec);         /* 2λx - μ² */
    arb_sqr(c->u, c->u, prec);
    arb_div(c->u, c->u, c->den, prec);
    arb_add(c->r, c->t, c->u, prec);
}

struct mpfi_higgs { mpfi_t mu, lam, x, den, t, u, r; };

static void mpfi_higgs_step(void *p) {
    struct mpfi_higgs *c = p;
    mpfi_mul_si(c->den, c->lam, 4);
    mpfi_sqr(c->t, c->mu);
    mpfi_neg(c->t, c->t);
    mpfi_div(c->t, c->t, c->den);
    mpfi_mul_si(c->u, c->lam, 2);
    mpfi_mul(c->u, c->u, c->x);
    mpfi_sub(c->u, c->u, c->mu);
    mpfi_sqr(c->u, c->u);
    mpfi_div(c->u, c->u, c->den);
    mpfi_add(c->r, c->t, c->u);
}

static void higgs(double seconds) {
    const slong prec = 128;
    mpfr_t lo, hi;
    mpfr_init2(lo, prec);
    mpfr_init2(hi, prec);

    struct arb_higgs x;
    arb_t *all[] = {&x.mu, &x.lam, &x.x, &x.den, &x.t, &x.u, &x.r};
    for (int i = 0; i < 7; i++) arb_init(*all[i]);
    if (arb_set_str(x.mu, "7837.52", prec) || arb_set_str(x.lam, "0.129", prec)) abort();
    {
        arf_t l, h;
        arf_init(l); arf_init(h);
        arf_set_si(l, 0); arf_set_si(h, 100000);
        arb_set_interval_arf(x.x, l, h, prec);
        arf_clear(l); arf_clear(h);
    }
    printf("arb\thiggs_radial\t128\t%.2f\n", median_ns(arb_higgs_step, &x, seconds));
    arb_get_interval_mpfr(lo, hi, x.r);
    mpfr_sub(hi, hi, lo, MPFR_RNDU);
    mpfr_printf("arb\twidth\thiggs_radial_128\t%.6Re\n", hi);
    for (int i = 0; i < 7; i++) arb_clear(*all[i]);

    struct mpfi_higgs y;
    mpfi_t *ally[] = {&y.mu, &y.lam, &y.x, &y.den, &y.t, &y.u, &y.r};
    for (int i = 0; i < 7; i++) mpfi_init2(*ally[i], prec);
    if (mpfi_set_str(y.mu, "7837.52", 10) || mpfi_set_str(y.lam, "0.129", 10)) abort();
    mpfi_interv_si(y.x, 0, 100000);
    printf("mpfi\thiggs_radial\t128\t%.2f\n", median_ns(mpfi_higgs_step, &y, seconds));
    mpfi_diam_abs(hi, y.r);
    mpfr_printf("mpfi\twidth\thiggs_radial_128\t%.6Re\n", hi);
    for (int i = 0; i < 7; i++) mpfi_clear(*ally[i]);
    mpfr_clear(lo);
    mpfr_clear(hi);
    fflush(stdout);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    printf("#\t" HARNESS_ARB_NAME " %s, mpfi %s, mpfr %s, gmp %s\n", HARNESS_ARB_VERSION,
           mpfi_get_version(), mpfr_get_version(), gmp_version);
    static const int bits[] = {53, 128, 256, 1024};
    for (int i = 0; i < 4; i++) op_mix(bits[i], seconds);
    higgs(seconds);
    flint_cleanup();
    return 0;
}
