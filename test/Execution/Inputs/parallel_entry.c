/*===- parallel_entry.c - model_main_parallel against model_main ---------===*
 *
 * Linked with an object of one input and one output (IN_BYTES, OUT_BYTES),
 * through its generated header model.h. Usage:
 *
 *   parallel_entry INPUT.raw OUTPUT.raw SAMPLES
 *
 * For each of SAMPLES inputs (IN_BYTES each) it computes model_main's
 * output (written to OUTPUT.raw, for the comparison with quant-run) and
 * compares model_main_parallel's with it, byte for byte:
 *   - with a parallel_for that runs the tasks one after another on this
 *     thread, last first, and checks that each of its n (<= max_tasks)
 *     tasks runs exactly once, for max_tasks 1, 2, 3, 5, 64 and 1024;
 *   - on pools of 2 and 3 threads (ParallelPool.h), 20 calls each.
 * Then the error returns: 2 for a null par, a null parallel_for, max_tasks
 * 0, -1 and 1025; 1 for a null or misaligned workspace (when the function
 * has one). Prints one line per check.
 *
 *===----------------------------------------------------------------------===*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "quant-ops/Runtime/ParallelPool.h"

size_t model_main_workspace_size(void) __attribute__((weak));

/* A parallel_for on this thread, last task first, that checks its tasks. */
typedef struct {
  int maxTasks, calls, largestN, badRuns;
} Reverse;

static void reverseParallelFor(void *context, int n, void (*task)(void *, int),
                               void *taskContext) {
  Reverse *reverse = (Reverse *)context;
  ++reverse->calls;
  if (n > reverse->largestN)
    reverse->largestN = n;
  if (n < 2 || n > reverse->maxTasks)
    ++reverse->badRuns;
  for (int i = n - 1; i >= 0; --i)
    task(taskContext, i);
}

static void neverCalled(void *context, int n, void (*task)(void *, int),
                        void *taskContext) {
  (void)context, (void)n, (void)task, (void)taskContext;
  abort();
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  int samples = atoi(argv[3]);
  FILE *in = fopen(argv[1], "rb");
  uint8_t *inputs = malloc((size_t)samples * IN_BYTES);
  if (!in || !inputs ||
      fread(inputs, IN_BYTES, (size_t)samples, in) != (size_t)samples)
    return 1;
  fclose(in);
  uint8_t *reference = malloc((size_t)samples * OUT_BYTES);
  uint8_t *output = malloc(OUT_BYTES);
  size_t size = model_main_workspace_size ? model_main_workspace_size() : 0;
  void *workspace = size ? aligned_alloc(64, size) : NULL;
  if (!reference || !output || (size && !workspace))
    return 1;

  for (int s = 0; s < samples; ++s)
    if (model_main((const void *)(inputs + (size_t)s * IN_BYTES),
                   (void *)(reference + (size_t)s * OUT_BYTES)))
      return 1;
  FILE *out = fopen(argv[2], "wb");
  if (!out || fwrite(reference, OUT_BYTES, (size_t)samples, out) !=
                  (size_t)samples)
    return 1;
  fclose(out);

  /* Tasks run in reverse order on this thread. */
  static const int taskCounts[] = {1, 2, 3, 5, 64, 1024};
  int runs = 0, mismatches = 0, parallelFors = 0, largestN = 0, badRuns = 0;
  for (size_t k = 0; k < sizeof taskCounts / sizeof taskCounts[0]; ++k) {
    Reverse reverse = {taskCounts[k], 0, 0, 0};
    quant_parallel par = {reverseParallelFor, &reverse, taskCounts[k]};
    for (int s = 0; s < samples; ++s) {
      memset(output, 0xA5, OUT_BYTES);
      if (model_main_parallel((const void *)(inputs + (size_t)s * IN_BYTES),
                              (void *)output, workspace, &par))
        return 1;
      ++runs;
      mismatches +=
          memcmp(output, reference + (size_t)s * OUT_BYTES, OUT_BYTES) != 0;
    }
    parallelFors += reverse.calls;
    badRuns += reverse.badRuns;
    if (reverse.largestN > largestN)
      largestN = reverse.largestN;
    if (taskCounts[k] == 1 && reverse.calls != 0)
      ++badRuns; /* one task: the calling thread, no parallel_for */
  }
  printf("reverse order: %d runs, %d mismatches; parallel_for called: %s, "
         "tasks per loop up to %d, bad task counts %d\n",
         runs, mismatches, parallelFors > 0 ? "yes" : "no", largestN,
         badRuns);

  /* Thread pools. */
  for (int threads = 2; threads <= 3; ++threads) {
    quant_pool *pool = quant_pool_create(threads);
    if (!pool)
      return 1;
    quant_parallel par = quant_pool_parallel(pool);
    int poolRuns = 0, poolMismatches = 0;
    for (int r = 0; r < 20; ++r)
      for (int s = 0; s < samples; ++s) {
        memset(output, 0x5A, OUT_BYTES);
        if (model_main_parallel((const void *)(inputs + (size_t)s * IN_BYTES),
                                (void *)output, workspace, &par))
          return 1;
        ++poolRuns;
        poolMismatches +=
            memcmp(output, reference + (size_t)s * OUT_BYTES, OUT_BYTES) != 0;
      }
    quant_pool_destroy(pool);
    printf("pool of %d threads: %d runs, %d mismatches\n", threads, poolRuns,
           poolMismatches);
  }

  /* Invalid arguments. */
  quant_parallel nullFunction = {NULL, NULL, 2};
  quant_parallel zero = {neverCalled, NULL, 0};
  quant_parallel negative = {neverCalled, NULL, -1};
  quant_parallel tooMany = {neverCalled, NULL, 1025};
  printf("errors: null par %d, null parallel_for %d, max_tasks 0: %d, -1: "
         "%d, 1025: %d\n",
         model_main_parallel((void *)inputs, (void *)output, workspace, NULL),
         model_main_parallel((void *)inputs, (void *)output, workspace, &nullFunction),
         model_main_parallel((void *)inputs, (void *)output, workspace, &zero),
         model_main_parallel((void *)inputs, (void *)output, workspace, &negative),
         model_main_parallel((void *)inputs, (void *)output, workspace, &tooMany));
  if (size) {
    Reverse reverse = {2, 0, 0, 0};
    quant_parallel par = {reverseParallelFor, &reverse, 2};
    printf("workspace errors: null %d, misaligned %d\n",
           model_main_parallel((void *)inputs, (void *)output, NULL, &par),
           model_main_parallel((void *)inputs, (void *)output, (char *)workspace + 1, &par));
  } else {
    printf("workspace errors: none needed\n");
  }
  free(workspace);
  return 0;
}
