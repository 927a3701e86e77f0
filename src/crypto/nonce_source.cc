#include "crypto/nonce_source.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace convault::crypto {
namespace {

constexpr size_t kPoolBytes = 4096;
std::atomic<uint64_t> g_generation{1};
std::atomic<uint64_t> g_refills{0};

void OnForkChild() { g_generation.fetch_add(1); }

struct Pool {
  uint8_t bytes[kPoolBytes];
  size_t pos = kPoolBytes;
  uint64_t generation = 0;
};

void RegisterForkHandler() {
  static const bool registered = [] {
    pthread_atfork(nullptr, nullptr, &OnForkChild);
    return true;
  }();
  (void)registered;
}

}  // namespace

void NonceSource::Fill(uint8_t* out) {
  RegisterForkHandler();
  thread_local Pool pool;
  uint64_t generation = g_generation.load(std::memory_order_acquire);
  if (pool.generation != generation || pool.pos + kNonceSize > kPoolBytes) {
    if (RAND_bytes(pool.bytes, kPoolBytes) != 1) {
      // Without randomness no nonce is safe; refuse to go on.
      std::abort();
    }
    pool.pos = 0;
    pool.generation = generation;
    g_refills.fetch_add(1, std::memory_order_relaxed);
  }
  std::memcpy(out, pool.bytes + pool.pos, kNonceSize);
  pool.pos += kNonceSize;
}

uint64_t NonceSource::refills() { return g_refills.load(); }

}  // namespace convault::crypto
