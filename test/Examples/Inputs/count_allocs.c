/* Counts the allocations a compiled quant-opt object makes per call: the
 * driver interposes malloc, calloc, realloc, aligned_alloc, posix_memalign
 * and free (forwarding to glibc's __libc_* functions), calls model_main
 * CALLS times on one input, then model_main_with_workspace with a workspace
 * of model_main_workspace_size() bytes, and prints
 * "allocs: model_main A malloc / F free in N calls; with_workspace B / G;
 * equal E" (E: both forms give identical outputs). Build with
 * -DIN_ELEMS=<input elements> -DOUT_ELEMS=<output elements>.
 */
#include "model.h"

#include <stdio.h>
#include <string.h>

#define CALLS 100

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static int counting, allocations, frees;

void *malloc(size_t n) { allocations += counting; return __libc_malloc(n); }
void *calloc(size_t c, size_t n) {
  allocations += counting;
  return __libc_calloc(c, n);
}
void *realloc(void *p, size_t n) {
  allocations += counting;
  return __libc_realloc(p, n);
}
void *aligned_alloc(size_t a, size_t n) {
  allocations += counting;
  return __libc_memalign(a, n);
}
int posix_memalign(void **p, size_t a, size_t n) {
  allocations += counting;
  *p = __libc_memalign(a, n);
  return *p ? 0 : 12;
}
void free(void *p) { frees += counting && p; __libc_free(p); }

static float input[IN_ELEMS], out_static[OUT_ELEMS], out_workspace[OUT_ELEMS];

int main(void) {
  for (int i = 0; i < IN_ELEMS; ++i)
    input[i] = (float)((i * 37) % 101) / 101.0f;
  void *workspace = __libc_memalign(64, model_main_workspace_size());
  counting = 1;
  int failed = 0;
  for (int call = 0; call < CALLS; ++call)
    failed |= model_main(input, out_static);
  int staticAllocs = allocations, staticFrees = frees;
  allocations = frees = 0;
  for (int call = 0; call < CALLS; ++call)
    failed |= model_main_with_workspace(input, out_workspace, workspace);
  counting = 0;
  printf("allocs: model_main %d malloc / %d free in %d calls; "
         "with_workspace %d / %d; equal %d\n",
         staticAllocs, staticFrees, CALLS, allocations, frees,
         memcmp(out_static, out_workspace, sizeof(out_static)) == 0);
  return failed;
}
