#include "common/metrics.h"

#include <algorithm>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace convault {

HistogramCell::HistogramCell(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_->size(); ++i) buckets_[i].store(0);
}

void HistogramCell::Observe(double v) {
  size_t i = std::lower_bound(bounds_->begin(), bounds_->end(), v) - bounds_->begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> HistogramCell::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_->size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_->size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

struct MetricsRegistry::Entry {
  std::string name;
  std::string help;
  Kind kind;
  std::unique_ptr<MetricFamily<CounterCell>> counter;
  std::unique_ptr<MetricFamily<GaugeCell>> gauge;
  std::unique_ptr<MetricFamily<HistogramCell>> histogram;
  std::function<double()> callback;  // set for callback metrics (counter or gauge)
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricFamily<CounterCell>& MetricsRegistry::AddCounter(std::string name, std::string help,
                                                       std::vector<std::string> labels) {
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->kind = Kind::kCounter;
  e->counter = std::make_unique<MetricFamily<CounterCell>>(std::move(labels));
  auto& ref = *e->counter;
  absl::MutexLock lock(&mu_);
  entries_.push_back(std::move(e));
  return ref;
}

MetricFamily<GaugeCell>& MetricsRegistry::AddGauge(std::string name, std::string help,
                                                   std::vector<std::string> labels) {
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->kind = Kind::kGauge;
  e->gauge = std::make_unique<MetricFamily<GaugeCell>>(std::move(labels));
  auto& ref = *e->gauge;
  absl::MutexLock lock(&mu_);
  entries_.push_back(std::move(e));
  return ref;
}

MetricFamily<HistogramCell>& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                                           std::vector<std::string> labels,
                                                           std::vector<double> bounds) {
  std::sort(bounds.begin(), bounds.end());
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->kind = Kind::kHistogram;
  e->histogram =
      std::make_unique<MetricFamily<HistogramCell>>(std::move(labels), std::move(bounds));
  auto& ref = *e->histogram;
  absl::MutexLock lock(&mu_);
  entries_.push_back(std::move(e));
  return ref;
}

void MetricsRegistry::AddCallback(std::string name, std::string help, Kind kind,
                                  std::function<double()> fn) {
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->kind = kind == Kind::kHistogram ? Kind::kGauge : kind;
  e->callback = std::move(fn);
  absl::MutexLock lock(&mu_);
  entries_.push_back(std::move(e));
}

std::vector<double> MetricsRegistry::LatencyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
}

namespace {

std::string EscapeLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     std::string_view extra = {}) {
  if (names.empty() && extra.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ",";
    absl::StrAppend(&out, names[i], "=\"", EscapeLabel(values[i]), "\"");
  }
  if (!extra.empty()) {
    if (!names.empty()) out += ",";
    out += extra;
  }
  out += "}";
  return out;
}

std::string Num(double v) { return absl::StrFormat("%.17g", v); }

}  // namespace

std::string MetricsRegistry::RenderPrometheus() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& e : entries_) {
    const char* type = e->kind == Kind::kCounter ? "counter"
                       : e->kind == Kind::kGauge ? "gauge"
                                                 : "histogram";
    absl::StrAppend(&out, "# HELP ", e->name, " ", e->help, "\n# TYPE ", e->name, " ", type, "\n");
    if (e->callback) {
      absl::StrAppend(&out, e->name, " ", Num(e->callback()), "\n");
      continue;
    }
    switch (e->kind) {
      case Kind::kCounter:
        e->counter->ForEach([&](const std::vector<std::string>& key, const CounterCell& c) {
          absl::StrAppend(&out, e->name, LabelSet(e->counter->labels(), key), " ", Num(c.value()),
                          "\n");
        });
        break;
      case Kind::kGauge:
        e->gauge->ForEach([&](const std::vector<std::string>& key, const GaugeCell& c) {
          absl::StrAppend(&out, e->name, LabelSet(e->gauge->labels(), key), " ", Num(c.value()),
                          "\n");
        });
        break;
      case Kind::kHistogram: {
        const auto& bounds = e->histogram->bounds();
        e->histogram->ForEach([&](const std::vector<std::string>& key, const HistogramCell& c) {
          auto counts = c.CumulativeCounts();
          for (size_t i = 0; i < counts.size(); ++i) {
            std::string le = i < bounds.size() ? Num(bounds[i]) : "+Inf";
            absl::StrAppend(&out, e->name, "_bucket",
                            LabelSet(e->histogram->labels(), key, absl::StrCat("le=\"", le, "\"")),
                            " ", counts[i], "\n");
          }
          absl::StrAppend(&out, e->name, "_sum", LabelSet(e->histogram->labels(), key), " ",
                          Num(c.sum()), "\n");
          absl::StrAppend(&out, e->name, "_count", LabelSet(e->histogram->labels(), key), " ",
                          c.count(), "\n");
        });
        break;
      }
    }
  }
  return out;
}

}  // namespace convault
