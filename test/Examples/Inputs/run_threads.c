/* Reentrancy check for a compiled quant-opt object: model_main keeps no
 * mutable global state, so concurrent calls on different buffers give the
 * results of sequential calls.
 *
 * Build with -DIN_ELEMS=<input elements> -DOUT_ELEMS=<output elements>,
 * link with the object, -lm and -lpthread. Prints
 * "threads: T x N calls, M mismatches" and returns non-zero on mismatches.
 */
#include "model.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define CALLS 200

static float inputs[THREADS][IN_ELEMS];
static float expected[THREADS][OUT_ELEMS];
static int mismatches[THREADS];

static void *worker(void *arg) {
  int t = (int)(long)arg;
  float output[OUT_ELEMS];
  for (int call = 0; call < CALLS; ++call) {
    memset(output, 0, sizeof(output));
    if (model_main(inputs[t], output) != 0 ||
        memcmp(output, expected[t], sizeof(output)) != 0)
      ++mismatches[t];
  }
  return NULL;
}

int main(void) {
  /* Different deterministic inputs in [0, 1) per thread. */
  unsigned state = 12345;
  for (int t = 0; t < THREADS; ++t)
    for (int i = 0; i < IN_ELEMS; ++i) {
      state = state * 1664525u + 1013904223u;
      inputs[t][i] = (float)(state >> 8) / 16777216.0f;
    }
  /* Sequential reference. */
  for (int t = 0; t < THREADS; ++t)
    if (model_main(inputs[t], expected[t]) != 0)
      return 2;
  int distinct = memcmp(expected[0], expected[1], sizeof(expected[0])) != 0;
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)(long)t);
  int total = 0;
  for (int t = 0; t < THREADS; ++t) {
    pthread_join(threads[t], NULL);
    total += mismatches[t];
  }
  printf("threads: %d x %d calls, %d mismatches, distinct inputs give %s "
         "outputs\n",
         THREADS, CALLS, total, distinct ? "distinct" : "equal");
  return total != 0;
}
