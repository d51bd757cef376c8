/*===- time_object.c - time a compiled model as a user's program runs it ---===*
 *
 * Linked against one object from `quant-translate --emit-obj` (entry
 * `model_main`, one input and one output buffer), this is the program a
 * user writes: it calls model_main in a loop with the process's allocator
 * left as it is. Usage:
 *
 *   time_object INPUT.npy EXPECTED.npy INPUT_BYTES REPEAT [THREADS]
 *
 * With THREADS, every call is model_main_parallel on a pool of THREADS
 * threads (include/quant-ops/Runtime/ParallelPool.h: the caller and
 * THREADS - 1 workers, created once, before the first call; 100 ms of
 * untimed calls before the timed ones) with the caller's workspace;
 * without, model_main.
 * INPUT.npy holds one or more samples of the input buffer, INPUT_BYTES
 * bytes each (any dtype: the bytes are passed as they are); EXPECTED.npy is
 * what the JIT (quant-run) computed on the same samples, stacked, and gives
 * the output's size and element type. One untimed call per sample, whose
 * outputs are compared with EXPECTED.npy, then REPEAT timed calls cycling
 * through the samples; prints
 *
 *   object: K timed calls, median X ms, min Y ms per call; minor page
 *   faults per call F; workspace W bytes; output equal|max abs diff D
 *
 * (one line). "equal" means byte-identical to EXPECTED.npy; float outputs
 * that differ print the largest difference instead. Exit status 1 when the
 * object returns non-zero or a file cannot be read.
 *
 *===----------------------------------------------------------------------===*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Relative to this file, so that no -I is needed to build the driver. */
#include "../include/quant-ops/Runtime/ParallelPool.h"

/* The object's entry points, declared with untyped buffers so that one
 * driver serves every element type (the ABI passes plain pointers). The
 * workspace size is weak so that objects from before the memory plan
 * (which lack it) can be timed the same way: they print workspace 0. */
int model_main(const void *input, void *output);
size_t model_main_workspace_size(void) __attribute__((weak));
int model_main_parallel(const void *input, void *output, void *workspace,
                        const quant_parallel *par) __attribute__((weak));

/* One call: model_main, or model_main_parallel when `par` is set. */
static void *workspace;
static quant_parallel *parallel;
static int callModel(const void *input, void *output) {
  if (parallel)
    return model_main_parallel(input, output, workspace, parallel);
  return model_main(input, output);
}

typedef struct {
  char descr[16]; /* numpy dtype string, e.g. "<f4", "|u1" */
  size_t bytes;   /* payload size */
  unsigned char *data;
} Npy;

/* Reads a version 1-3 .npy file: magic, header length, the header's
 * 'descr' entry, then the raw payload (the rest of the file). */
static int readNpy(const char *path, Npy *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "time_object: cannot open '%s'\n", path);
    return 0;
  }
  unsigned char magic[10];
  int ok = fread(magic, 1, 10, f) == 10 && memcmp(magic, "\x93NUMPY", 6) == 0;
  size_t headerLength = 0, prefix = 10;
  if (ok && magic[6] == 1) {
    headerLength = magic[8] | (size_t)magic[9] << 8;
  } else if (ok) {
    unsigned char more[2];
    ok = fread(more, 1, 2, f) == 2;
    headerLength = magic[8] | (size_t)magic[9] << 8 | (size_t)more[0] << 16 |
                   (size_t)more[1] << 24;
    prefix = 12;
  }
  char *header = ok ? malloc(headerLength + 1) : NULL;
  ok = header && fread(header, 1, headerLength, f) == headerLength;
  if (ok) {
    header[headerLength] = 0;
    const char *d = strstr(header, "'descr':");
    ok = d && sscanf(d, "'descr': '%15[^']'", out->descr) == 1;
  }
  free(header);
  long end = 0;
  if (ok && fseek(f, 0, SEEK_END) == 0 && (end = ftell(f)) >= 0) {
    out->bytes = (size_t)end - prefix - headerLength;
    out->data = malloc(out->bytes ? out->bytes : 1);
    ok = out->data && fseek(f, (long)(prefix + headerLength), SEEK_SET) == 0 &&
         fread(out->data, 1, out->bytes, f) == out->bytes;
  } else {
    ok = 0;
  }
  fclose(f);
  if (!ok)
    fprintf(stderr, "time_object: '%s' is not a readable .npy file\n", path);
  return ok;
}

static double milliseconds(struct timespec a, struct timespec b) {
  return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

static int compareDouble(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static long minorFaults(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: time_object INPUT.npy EXPECTED.npy INPUT_BYTES "
                    "REPEAT [THREADS]\n");
    return 2;
  }
  quant_pool *pool = NULL;
  quant_parallel par;
  if (argc == 6) {
    int threads = atoi(argv[5]);
    if (!model_main_parallel) {
      fprintf(stderr, "time_object: the object has no model_main_parallel\n");
      return 1;
    }
    pool = quant_pool_create(threads);
    if (!pool) {
      fprintf(stderr, "time_object: cannot start %d threads\n", threads);
      return 1;
    }
    par = quant_pool_parallel(pool);
    parallel = &par;
    size_t size = model_main_workspace_size ? model_main_workspace_size() : 0;
    workspace = size ? aligned_alloc(64, size) : NULL;
    if (size && !workspace)
      return 1;
  }
  Npy input, expected;
  if (!readNpy(argv[1], &input) || !readNpy(argv[2], &expected))
    return 1;
  size_t inputBytes = strtoull(argv[3], NULL, 10);
  size_t samples = inputBytes ? input.bytes / inputBytes : 0;
  if (samples == 0 || samples * inputBytes != input.bytes ||
      expected.bytes % samples != 0) {
    fprintf(stderr,
            "time_object: %zu input bytes and %zu output bytes are not a "
            "whole number of %zu-byte samples\n",
            input.bytes, expected.bytes, inputBytes);
    return 1;
  }
  size_t outputBytes = expected.bytes / samples;
  int repeat = atoi(argv[4]);
  if (repeat < 1)
    repeat = 1;
  unsigned char *output = malloc(expected.bytes ? expected.bytes : 1);
  double *times = malloc(sizeof(double) * (size_t)repeat);
  if (!output || !times)
    return 1;

  for (size_t sample = 0; sample < samples; ++sample)
    if (callModel(input.data + sample * inputBytes,
                  output + sample * outputBytes) != 0) {
      fprintf(stderr, "time_object: model_main returned non-zero\n");
      return 1;
    }
  char verdict[64] = "equal";
  if (memcmp(output, expected.data, expected.bytes) != 0) {
    if (strcmp(expected.descr, "<f4") == 0) {
      const float *got = (const float *)output;
      const float *want = (const float *)expected.data;
      double worst = 0;
      for (size_t i = 0; i < expected.bytes / sizeof(float); ++i)
        worst = fmax(worst, fabs((double)got[i] - want[i]));
      snprintf(verdict, sizeof verdict, "max abs diff %.3g", worst);
    } else {
      snprintf(verdict, sizeof verdict, "DIFFERENT");
    }
  }

  // With threads: untimed calls for 100 ms first, so that the scheduler
  // has spread the workers over the cores (a new thread starts beside its
  // creator and is moved to an idle core only at the next balancing).
  if (parallel) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
      if (callModel(input.data, output) != 0)
        return 1;
      clock_gettime(CLOCK_MONOTONIC, &now);
    } while (milliseconds(start, now) < 100);
  }

  // Touch everything the timing loop uses besides the model (the clock's
  // vDSO pages, the array of times) so that its page faults are the model's.
  for (int r = 0; r < repeat; ++r) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    times[r] = milliseconds(now, now);
  }
  long faults = minorFaults();
  for (int r = 0; r < repeat; ++r) {
    size_t sample = (size_t)r % samples;
    struct timespec start, stop;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = callModel(input.data + sample * inputBytes,
                           output + sample * outputBytes);
    clock_gettime(CLOCK_MONOTONIC, &stop);
    if (status != 0) {
      fprintf(stderr, "time_object: model_main returned non-zero\n");
      return 1;
    }
    times[r] = milliseconds(start, stop);
  }
  faults = minorFaults() - faults;
  double best = times[0];
  for (int r = 1; r < repeat; ++r)
    best = times[r] < best ? times[r] : best;
  qsort(times, (size_t)repeat, sizeof(double), compareDouble);
  double median = repeat % 2 ? times[repeat / 2]
                             : (times[repeat / 2 - 1] + times[repeat / 2]) / 2;
  printf("object: %d timed calls, median %.6f ms, min %.6f ms per call; "
         "minor page faults per call %.1f; workspace %zu bytes; output %s\n",
         repeat, median, best, (double)faults / repeat,
         model_main_workspace_size ? model_main_workspace_size() : 0,
         verdict);
  quant_pool_destroy(pool);
  free(workspace);
  return 0;
}
