#include "api/handlers/metrics_handler.h"

namespace convault {

void MetricsHandler::Register(Router& router) {
  router.Add({"GET",
              "/metrics",
              /*is_public=*/true,
              {},
              [this](const RequestContext&) -> absl::StatusOr<HttpResponse> {
                HttpResponse res;
                res.content_type = "text/plain; version=0.0.4; charset=utf-8";
                res.body = metrics_.RenderPrometheus();
                return res;
              }});
}

}  // namespace convault
