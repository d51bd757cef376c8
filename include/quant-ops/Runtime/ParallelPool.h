/*===- ParallelPool.h - a small thread pool for the _parallel entries ----===*
 *
 * A header-only pthread pool, in C (also valid C++), that provides the
 * quant_parallel an object's `<prefix>_<f>_parallel` entry takes (see the
 * header `quant-translate --emit-header` writes). quant-run --threads=N,
 * bench/time_object.c and the execution tests use it; a program may use it
 * too, or pass its own thread pool's parallel-for instead.
 *
 *   quant_pool *pool = quant_pool_create(2);     // the caller + 1 worker
 *   quant_parallel par = quant_pool_parallel(pool);
 *   model_main_parallel(input, output, workspace, &par);
 *   quant_pool_destroy(pool);
 *
 * The calling thread takes part in every parallel_for; the workers wait
 * for work spinning (about a millisecond), then yielding the core
 * (sched_yield), so a parallel loop starts within a microsecond. Tasks are claimed one at a
 * time from a shared counter, so a worker that is not scheduled (a busy
 * machine) delays nothing: the others run its share. One parallel_for at a
 * time per pool (one pool per concurrent caller).
 *
 *===----------------------------------------------------------------------===*/
#ifndef QUANTOPS_RUNTIME_PARALLELPOOL_H
#define QUANTOPS_RUNTIME_PARALLELPOOL_H

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#ifndef QUANT_PARALLEL_DEFINED
#define QUANT_PARALLEL_DEFINED
typedef struct quant_parallel {
  void (*parallel_for)(void *context, int n,
                       void (*task)(void *task_context, int i),
                       void *task_context);
  void *context;
  int max_tasks;
} quant_parallel;
#endif

enum { QUANT_POOL_MAX_THREADS = 256 };

typedef struct quant_pool {
  /* The current job. `ticket` holds its sequence number (high 32 bits;
   * odd while the job's fields are being written) and the next task to
   * claim (low 32 bits). */
  uint64_t ticket;
  void (*task)(void *, int);
  void *task_context;
  int n;
  int done;
  int stop;
  int started;
  int workers;
  pthread_t threads[QUANT_POOL_MAX_THREADS];
} quant_pool;

/* Waiting: about a millisecond of pause instructions (a model's parallel
 * loops follow each other within microseconds: a worker that yielded its
 * core there would lose it to other processes for a whole time slice), then
 * sched_yield. */
static inline void quant_pool_pause(unsigned *spins) {
  if (++*spins < (1u << 16)) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    sched_yield();
  }
}

/* Claims and runs the tasks of job `sequence` until none is left or the
 * job has changed. */
static inline void quant_pool_work(quant_pool *pool, uint64_t sequence) {
  void (*task)(void *, int) = __atomic_load_n(&pool->task, __ATOMIC_RELAXED);
  void *context = __atomic_load_n(&pool->task_context, __ATOMIC_RELAXED);
  int n = __atomic_load_n(&pool->n, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  uint64_t ticket = __atomic_load_n(&pool->ticket, __ATOMIC_ACQUIRE);
  for (;;) {
    /* The fields read above are this job's only if the job is unchanged
     * at the claim (a seqlock). */
    if ((ticket >> 32) != sequence || (int)(uint32_t)ticket >= n)
      return;
    if (!__atomic_compare_exchange_n(&pool->ticket, &ticket, ticket + 1,
                                     /*weak=*/0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
      continue;
    task(context, (int)(uint32_t)ticket);
    __atomic_fetch_add(&pool->done, 1, __ATOMIC_RELEASE);
    ticket = __atomic_load_n(&pool->ticket, __ATOMIC_ACQUIRE);
  }
}

static inline void *quant_pool_worker(void *argument) {
  quant_pool *pool = (quant_pool *)argument;
  uint64_t seen = 0;
  __atomic_fetch_add(&pool->started, 1, __ATOMIC_RELEASE);
  for (;;) {
    unsigned spins = 0;
    uint64_t sequence;
    for (;;) {
      if (__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE))
        return NULL;
      sequence = __atomic_load_n(&pool->ticket, __ATOMIC_ACQUIRE) >> 32;
      if (sequence != seen && (sequence & 1) == 0)
        break;
      quant_pool_pause(&spins);
    }
    seen = sequence;
    quant_pool_work(pool, sequence);
  }
}

/* quant_parallel.parallel_for of a pool. */
static inline void quant_pool_parallel_for(void *context, int n,
                                           void (*task)(void *, int),
                                           void *task_context) {
  quant_pool *pool = (quant_pool *)context;
  uint64_t sequence =
      (__atomic_load_n(&pool->ticket, __ATOMIC_RELAXED) >> 32) + 1;
  /* Odd: writing the job. */
  __atomic_store_n(&pool->ticket, sequence << 32, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  __atomic_store_n(&pool->task, task, __ATOMIC_RELAXED);
  __atomic_store_n(&pool->task_context, task_context, __ATOMIC_RELAXED);
  __atomic_store_n(&pool->n, n, __ATOMIC_RELAXED);
  __atomic_store_n(&pool->done, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&pool->ticket, (sequence + 1) << 32, __ATOMIC_RELEASE);
  quant_pool_work(pool, sequence + 1);
  unsigned spins = 0;
  while (__atomic_load_n(&pool->done, __ATOMIC_ACQUIRE) < n)
    quant_pool_pause(&spins);
}

/* A pool of `threads` threads: the caller and threads - 1 workers. Null
 * when threads is outside 1..QUANT_POOL_MAX_THREADS or a thread cannot be
 * created. */
static inline quant_pool *quant_pool_create(int threads) {
  if (threads < 1 || threads > QUANT_POOL_MAX_THREADS)
    return NULL;
  quant_pool *pool = (quant_pool *)calloc(1, sizeof(quant_pool));
  if (!pool)
    return NULL;
  for (int i = 0; i < threads - 1; ++i) {
    if (pthread_create(&pool->threads[i], NULL, quant_pool_worker, pool)) {
      __atomic_store_n(&pool->stop, 1, __ATOMIC_RELEASE);
      for (int j = 0; j < i; ++j)
        pthread_join(pool->threads[j], NULL);
      free(pool);
      return NULL;
    }
    pool->workers = i + 1;
  }
  /* Every worker has run once before the first job. */
  while (__atomic_load_n(&pool->started, __ATOMIC_ACQUIRE) < pool->workers)
    sched_yield();
  return pool;
}

static inline void quant_pool_destroy(quant_pool *pool) {
  if (!pool)
    return;
  __atomic_store_n(&pool->stop, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < pool->workers; ++i)
    pthread_join(pool->threads[i], NULL);
  free(pool);
}

/* The quant_parallel that runs on `pool`. With several threads each loop
 * is split into QUANT_POOL_TASKS_PER_THREAD tasks per thread: a worker that
 * starts late (a wake-up is a fraction of a microsecond, a descheduled one
 * much longer) then takes fewer tasks instead of making the others wait
 * for its share. */
enum { QUANT_POOL_TASKS_PER_THREAD = 2 };
static inline quant_parallel quant_pool_parallel(quant_pool *pool) {
  quant_parallel par;
  par.parallel_for = quant_pool_parallel_for;
  par.context = pool;
  par.max_tasks = pool->workers == 0
                      ? 1
                      : (pool->workers + 1) * QUANT_POOL_TASKS_PER_THREAD;
  return par;
}

#endif /* QUANTOPS_RUNTIME_PARALLELPOOL_H */
