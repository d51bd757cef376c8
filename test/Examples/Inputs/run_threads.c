/* Reentrancy check for a compiled quant-opt object: concurrent calls on
 * different buffers give the results of sequential calls. By default the
 * threads call model_main (its static arena is taken by one call at a time,
 * the others run in a heap workspace); with -DUSE_WORKSPACE each thread
 * calls model_main_with_workspace with a workspace of its own.
 *
 * Build with -DIN_ELEMS=<input elements> -DOUT_ELEMS=<output elements>,
 * link with the object, -lm and -lpthread. Prints
 * "threads: T x N calls, M mismatches" and returns non-zero on mismatches.
 */
#include "model.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define CALLS 200

static float inputs[THREADS][IN_ELEMS];
static float expected[THREADS][OUT_ELEMS];
static int mismatches[THREADS];

static void *worker(void *arg) {
  int t = (int)(long)arg;
  float output[OUT_ELEMS];
#ifdef USE_WORKSPACE
  void *workspace = aligned_alloc(64, model_main_workspace_size());
#endif
  for (int call = 0; call < CALLS; ++call) {
    memset(output, 0, sizeof(output));
#ifdef USE_WORKSPACE
    int status = model_main_with_workspace(inputs[t], output, workspace);
#else
    int status = model_main(inputs[t], output);
#endif
    if (status != 0 ||
        memcmp(output, expected[t], sizeof(output)) != 0)
      ++mismatches[t];
  }
#ifdef USE_WORKSPACE
  free(workspace);
#endif
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
