#include "common/metrics.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

TEST(Metrics, CellsAreFoundByTheirWholeListOfValuesAndRenderedInLabelOrder) {
  MetricsRegistry m;
  auto& c = m.AddCounter("c", "C.", {"x", "y"});
  CounterCell& first = c.With({"b", "c"});
  first.Inc();
  EXPECT_EQ(&c.With({"b", "c"}), &first);  // the same cell, kept
  c.With({"bc", ""}).Inc(2);               // the same bytes, other values
  c.With({"a", "z"}).Inc(3);
  c.With({std::string_view("b\0", 2), "c"}).Inc(4);
  EXPECT_EQ(first.value(), 1);
  std::vector<std::pair<std::vector<std::string>, double>> seen;
  c.ForEach([&](const std::vector<std::string>& values, const CounterCell& cell) {
    seen.emplace_back(values, cell.value());
  });
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].first, (std::vector<std::string>{"a", "z"}));
  EXPECT_EQ(seen[1].first, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(seen[1].second, 1);
  EXPECT_EQ(seen[2].first, (std::vector<std::string>{std::string("b\0", 2), "c"}));
  EXPECT_EQ(seen[2].second, 4);
  EXPECT_EQ(seen[3].first, (std::vector<std::string>{"bc", ""}));
  EXPECT_EQ(seen[3].second, 2);
  std::string text = m.RenderPrometheus();
  EXPECT_LT(text.find("x=\"a\""), text.find("x=\"bc\""));
}

}  // namespace
}  // namespace convault
