#include "common/metrics.h"

#include "gtest/gtest.h"

namespace convault {
namespace {

TEST(Metrics, RendersCountersGaugesAndHistogramsInPrometheusFormat) {
  MetricsRegistry m;
  auto& requests = m.AddCounter("req_total", "Requests.", {"route", "status"});
  requests.With({"/a", "200"}).Inc();
  requests.With({"/a", "200"}).Inc(2);
  auto& gauge = m.AddGauge("in_flight", "Now.", {});
  gauge.With({}).Add(3);
  gauge.With({}).Add(-1);
  auto& hist = m.AddHistogram("lat_seconds", "Latency.", {"route"}, {0.1, 1});
  hist.With({"/a"}).Observe(0.05);
  hist.With({"/a"}).Observe(0.5);
  hist.With({"/a"}).Observe(5);
  std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE req_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("req_total{route=\"/a\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("in_flight 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"0.10000000000000001\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count{route=\"/a\"} 3\n"), std::string::npos);
}

TEST(Metrics, CallbackMetricsAreReadAtRenderTime) {
  MetricsRegistry m;
  double value = 1;
  m.AddCallback("cache_keys", "Keys.", MetricsRegistry::Kind::kGauge, [&] { return value; });
  EXPECT_NE(m.RenderPrometheus().find("# TYPE cache_keys gauge\ncache_keys 1\n"),
            std::string::npos);
  value = 42;
  EXPECT_NE(m.RenderPrometheus().find("cache_keys 42\n"), std::string::npos);
}

TEST(Metrics, EscapesLabelValues) {
  MetricsRegistry m;
  m.AddCounter("c", "C.", {"l"}).With({"a\"b\\c\nd"}).Inc();
  EXPECT_NE(m.RenderPrometheus().find("c{l=\"a\\\"b\\\\c\\nd\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace convault
