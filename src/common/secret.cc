#include "common/secret.h"

#include <string.h>

namespace convault {

void SecureZero(void* data, size_t size) { explicit_bzero(data, size); }

}  // namespace convault
