#pragma once

#include "api/router.h"
#include "common/metrics.h"

namespace convault {

// GET /metrics: the registry in Prometheus text format. Public, like most
// scrape endpoints; it carries no per-subject labels.
class MetricsHandler {
 public:
  explicit MetricsHandler(const MetricsRegistry& metrics) : metrics_(metrics) {}
  void Register(Router& router);

 private:
  const MetricsRegistry& metrics_;
};

}  // namespace convault
