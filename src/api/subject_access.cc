#include "api/subject_access.h"

#include "common/status.h"

namespace convault {

absl::Status CheckSubjectAccess(const RequestContext& ctx, const EndUser& end_user) {
  ctx.audit_subject = end_user.id;
  if (!end_user.processing_restricted) return absl::OkStatus();
  const RoleSet& roles = ctx.principal->roles;
  if (roles.Has(Role::kPrivacyOfficer) || roles.Has(Role::kAdmin)) return absl::OkStatus();
  return WithCode(absl::PermissionDeniedError("processing of this end user's data is restricted"),
                  "processing_restricted");
}

absl::Status CheckSubjectAccess(Store& store, const RequestContext& ctx,
                                std::string_view end_user_id) {
  ctx.audit_subject = std::string(end_user_id);
  auto user = store.GetEndUser(ctx.principal->tenant_id, end_user_id);
  if (!user.ok()) return user.status();
  return CheckSubjectAccess(ctx, *user);
}

}  // namespace convault
