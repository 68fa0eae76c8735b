/*
 * fp-sanity: a bare-metal RV64 program (no libc) that exercises F and D instructions as GCC
 * emits them, for FpSanityProgramTest. It runs at 0x8000_0000 in M-mode, writes its results to
 * RESULTS (HartFixture.DATA) and halts in an endless loop. The Java test recomputes every value
 * with Java arithmetic. Build: see Makefile (the .bin is committed so the test needs no compiler).
 */
#include <stdint.h>

#define RESULTS ((volatile uint64_t *)0x80020000UL)

static volatile double in_d[4] = {1.1, 3.0, -2.5, 1e300};
static volatile float in_f[4] = {1.1f, 3.0f, -2.5f, 1e30f};
static volatile int64_t in_l = 123456789012345678LL;

static uint64_t bits_d(double v) {
  union { double d; uint64_t u; } x = {.d = v};
  return x.u;
}

static uint64_t bits_f(float v) {
  union { float f; uint32_t u; } x = {.f = v};
  return x.u;
}

void fp_main(void) {
  volatile uint64_t *r = RESULTS;
  r[0] = bits_d(in_d[0] * in_d[1] + in_d[2]); /* fmul.d, fadd.d (no contraction) */
  r[1] = bits_d(__builtin_sqrt(in_d[1])); /* fsqrt.d */
  r[2] = bits_d(in_d[0] / in_d[1]); /* fdiv.d */
  r[3] = bits_d((double)in_f[0]); /* fcvt.d.s */
  r[4] = bits_f((float)in_d[0]); /* fcvt.s.d */
  r[5] = bits_f(in_f[0] * in_f[1] - in_f[2]); /* fmul.s, fsub.s */
  r[6] = bits_f(__builtin_sqrtf(in_f[1])); /* fsqrt.s */
  r[7] = bits_d(__builtin_fma(in_d[0], in_d[1], in_d[2])); /* fmadd.d */
  r[8] = bits_f(__builtin_fmaf(in_f[0], in_f[1], in_f[2])); /* fmadd.s */
  r[9] = (uint64_t)(int64_t)in_d[2]; /* fcvt.l.d rtz: -2 */
  r[10] = (uint64_t)(int64_t)(int32_t)in_f[3]; /* fcvt.w.s of 1e30: saturates, NV */
  r[11] = (uint64_t)in_d[3]; /* fcvt.lu.d of 1e300: saturates, NV */
  double lesser;
  double x = in_d[2], y = in_d[0];
  __asm__("fmin.d %0, %1, %2" : "=f"(lesser) : "f"(x), "f"(y)); /* GCC calls libm's fmin */
  r[12] = bits_d(lesser);
  r[13] = in_d[0] < in_d[1]; /* flt.d */
  double harmonic = 0;
  for (int i = 1; i <= 100; i++) {
    harmonic += 1.0 / i; /* fcvt.d.w, fdiv.d, fadd.d */
  }
  r[14] = bits_d(harmonic);
  float tenths = 0;
  for (int i = 1; i <= 50; i++) {
    tenths += (float)i * 0.1f;
  }
  r[15] = bits_f(tenths);
  r[16] = bits_d((double)in_l); /* fcvt.d.l, inexact */
  uint64_t flags;
  __asm__ volatile("frflags %0" : "=r"(flags));
  r[17] = flags;
  __asm__ volatile("fsrmi 3"); /* frm = RUP */
  r[18] = bits_d(1.0 / in_d[1]); /* dynamic rounding: 1/3 rounded up */
  __asm__ volatile("fsrmi 0");
}
