#include "support/softhsm.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "support/process.h"

namespace convault::testing {

std::string SoftHsmUri() {
  return absl::StrCat("pkcs11:module=", kSoftHsmModule,
                      ";token=convault-test;pin-env=", kSoftHsmPinEnv);
}

absl::StatusOr<std::unique_ptr<crypto::Pkcs11KeyProvider>> OpenSoftHsmProvider(
    const std::string& dir) {
  std::string conf = dir + "/softhsm2.conf";
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  setenv(kSoftHsmPinEnv, "4321", 1);
  if (!std::filesystem::exists(conf)) {
    std::filesystem::create_directories(dir + "/tokens");
    std::ofstream(conf) << "directories.tokendir = " << dir << "/tokens\n"
                        << "objectstore.backend = file\nlog.level = ERROR\n";
    auto init = RunCommand({"/usr/bin/softhsm2-util", "--init-token", "--free", "--label",
                            "convault-test", "--pin", "4321", "--so-pin", "87654321"},
                           {{"SOFTHSM2_CONF", conf}});
    if (init.exit_code != 0) {
      return absl::FailedPreconditionError("softhsm2-util --init-token failed: " + init.err);
    }
  }
  auto options = crypto::ParsePkcs11Uri(SoftHsmUri());
  if (!options.ok()) return options.status();
  return crypto::Pkcs11KeyProvider::Open(*options);
}

}  // namespace convault::testing
