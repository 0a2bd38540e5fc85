// POSIX: gethostname.
#include <unistd.h>

#include "agent/host_name.h"

namespace mamori::agent {

std::string ThisHostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) {
    return "unknown";
  }
  return name;
}

}  // namespace mamori::agent
