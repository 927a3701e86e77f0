#include <string.h>

#include "common/secret.h"

namespace convault {

void SecureZero(void* data, size_t size) { explicit_bzero(data, size); }

}  // namespace convault
