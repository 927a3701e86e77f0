#include "api/handlers/health_handler.h"

#include "api/api_service.h"
#include "common/log.h"
#include "common/strings.h"

namespace convault {

void HealthHandler::Register(Router& router) {
  router.Add({"GET",
              "/healthz",
              /*is_public=*/true,
              {},
              [](const RequestContext&) -> absl::StatusOr<HttpResponse> {
                return JsonResponse(200, {{"status", "ok"}});
              }});
  router.Add({"GET",
              "/readyz",
              /*is_public=*/true,
              {},
              [this](const RequestContext&) -> absl::StatusOr<HttpResponse> {
                for (absl::Status s : {store_.CheckReady(), key_store_.CheckReady()}) {
                  if (!s.ok()) {
                    log::Warn("health", "not_ready", {{"reason", StdSv(s.message())}});
                    return absl::UnavailableError("not ready");
                  }
                }
                return JsonResponse(200, {{"status", "ready"}});
              }});
}

}  // namespace convault
