// src/writer_first_mutex.hpp: a reader-writer lock under which a waiting
// writer goes before readers that come after it. Private to the library.
//
// std::shared_mutex on glibc lets new readers in while a writer waits, so
// that a register read by several threads without pause starves the thread
// that saves a change (the benchmarks measured writes falling from ~30,000
// to ~4,000 a second with a second reader). glibc's rwlock can prefer
// writers instead; elsewhere std::shared_mutex stays.
#pragma once

#include <shared_mutex>
#include <system_error>

#if defined(__GLIBC__)
#include <pthread.h>
#endif

namespace kartotek::internal {

#if defined(__GLIBC__)
class WriterFirstMutex {
 public:
  WriterFirstMutex() {
    pthread_rwlockattr_t attr;
    check(pthread_rwlockattr_init(&attr));
    // Non-recursive: a thread never takes its register's lock twice
    // (RegisterMutex refuses that), so readers cannot deadlock on it.
    check(pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP));
    const int made = pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
    check(made);
  }
  ~WriterFirstMutex() { pthread_rwlock_destroy(&lock_); }
  WriterFirstMutex(const WriterFirstMutex&) = delete;
  WriterFirstMutex& operator=(const WriterFirstMutex&) = delete;

  void lock() { check(pthread_rwlock_wrlock(&lock_)); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { check(pthread_rwlock_rdlock(&lock_)); }
  bool try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  static void check(int error) {
    if (error != 0) throw std::system_error(error, std::generic_category(), "register lock");
  }
  pthread_rwlock_t lock_;
};
#else
using WriterFirstMutex = std::shared_mutex;
#endif

}  // namespace kartotek::internal
