#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace convault {

// A small Prometheus-style metrics registry. Families are registered once at
// start; cells (one per label-value combination) are created on first use and
// live as long as the registry, so callers may keep references to them.
// Label values must never be per-subject or personal (PRIVACY.md section 10):
// routes, statuses, operation names, detector ids.
// Thread safety: every method is safe to call from any thread.

class CounterCell {
 public:
  void Inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class GaugeCell {
 public:
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class HistogramCell {
 public:
  explicit HistogramCell(const std::vector<double>* bounds);
  void Observe(double v);
  // Cumulative counts per bound, then +Inf.
  std::vector<uint64_t> CumulativeCounts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double>* bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

template <typename Cell>
class MetricFamily;

class MetricsRegistry {
 public:
  enum class Kind { kCounter, kGauge, kHistogram };

  MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  // REQUIRES: name unique in this registry; label names fixed for the family.
  MetricFamily<CounterCell>& AddCounter(std::string name, std::string help,
                                        std::vector<std::string> labels);
  MetricFamily<GaugeCell>& AddGauge(std::string name, std::string help,
                                    std::vector<std::string> labels);
  MetricFamily<HistogramCell>& AddHistogram(std::string name, std::string help,
                                            std::vector<std::string> labels,
                                            std::vector<double> bounds);

  // A value read when the metrics are rendered (cache sizes, counters kept
  // elsewhere). `fn` must be cheap and thread-safe.
  void AddCallback(std::string name, std::string help, Kind kind, std::function<double()> fn);

  // Latency buckets in seconds, 50us .. 10s.
  static std::vector<double> LatencyBuckets();

  // The Prometheus text exposition format (version 0.0.4).
  std::string RenderPrometheus() const;

 private:
  struct Entry;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);
};

template <typename Cell>
class MetricFamily {
 public:
  MetricFamily(std::vector<std::string> labels, std::vector<double> bounds = {})
      : labels_(std::move(labels)), bounds_(std::move(bounds)) {}

  // REQUIRES: values.size() == number of label names.
  // Called on every request and store operation: finds an existing cell
  // under a shared lock, with the key built in a buffer of the thread's own.
  Cell& With(std::initializer_list<std::string_view> values) {
    thread_local std::string key;
    key.clear();
    for (std::string_view v : values) {
      // Each value with its length before it: no two lists share a key.
      const uint32_t n = static_cast<uint32_t>(v.size());
      key.append(reinterpret_cast<const char*>(&n), sizeof n);
      key.append(v);
    }
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = cells_.find(key);
      if (it != cells_.end()) return *it->second.cell;
    }
    absl::MutexLock lock(&mu_);
    auto [it, added] = cells_.try_emplace(key);
    if (added) {
      it->second.values.assign(values.begin(), values.end());
      it->second.cell = MakeCell();
    }
    return *it->second.cell;
  }

  const std::vector<std::string>& labels() const { return labels_; }
  const std::vector<double>& bounds() const { return bounds_; }

  // Calls fn(label_values, cell) for each cell, in label order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    absl::ReaderMutexLock lock(&mu_);
    std::vector<const Labeled*> sorted;
    sorted.reserve(cells_.size());
    for (const auto& [key, labeled] : cells_) sorted.push_back(&labeled);
    std::sort(sorted.begin(), sorted.end(),
              [](const Labeled* a, const Labeled* b) { return a->values < b->values; });
    for (const Labeled* l : sorted) fn(l->values, *l->cell);
  }

 private:
  std::unique_ptr<Cell> MakeCell() {
    if constexpr (std::is_same_v<Cell, HistogramCell>) {
      return std::make_unique<Cell>(&bounds_);
    } else {
      return std::make_unique<Cell>();
    }
  }

  const std::vector<std::string> labels_;
  const std::vector<double> bounds_;
  struct Labeled {
    std::vector<std::string> values;
    std::unique_ptr<Cell> cell;  // never moves: callers keep references
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Labeled> cells_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault
